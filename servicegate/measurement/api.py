"""REST resources of the measurement area under /api/v1/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from servicegate.api.pagination import Pagination
from servicegate.core.permissions import has_capability
from servicegate.measurement import selectors
from servicegate.measurement.choices import GroupBy, Period
from servicegate.measurement.models import Clock, Notification
from servicegate.measurement.notifications import notification_read, notifications_of
from servicegate.measurement.replay import ReplayError
from servicegate.measurement.replay_input import ReplayInput, replay_of_input
from servicegate.operations.selectors import tickets_visible_to
from servicegate.promises.api import AttainmentOut as FiguresOut
from servicegate.promises.models import Promise

router = Router(tags=["measurement"])


def _require_read(request: HttpRequest) -> None:
    if not has_capability(request.user, "view_servicegate"):
        raise PermissionDenied("Your role does not allow reading measurement data.")


class ClockOut(Schema):
    id: int
    ticket_id: int
    promise_id: int
    metric: str
    state: str
    started_at: datetime | None
    stopped_at: datetime | None
    deadline: datetime | None = Field(
        description="When the target is used up: the last open business instant that still "
        "keeps the promise (see breach_at)."
    )
    business_elapsed_s: int
    elapsed_s: int
    paused_s: int
    breached: bool
    breach_at: datetime | None = Field(
        description="When the clock went over its target: the first open business instant "
        "after the deadline (later than it when the target runs out at a closing time)."
    )
    target_s: int
    cycles: int
    cause: str


class AttainmentOut(FiguresOut):
    group: str
    period: date | None


def attainment_figures(row: selectors.Attainment) -> dict[str, Any]:
    """One attainment row as the API gives it (with ``kept`` and ``coverage``)."""
    return {**row.__dict__, "kept": row.kept, "coverage": row.coverage}


@router.get("/tickets/{ticket_id}/clocks", response=list[ClockOut])
def ticket_clocks(request: HttpRequest, ticket_id: int) -> list[Clock]:
    """The promise clocks of one ticket."""
    _require_read(request)
    if not tickets_visible_to(request.user).filter(pk=ticket_id).exists():
        raise HttpError(404, "There is no such ticket, or it is not visible to you.")
    return list(Clock.objects.filter(ticket_id=ticket_id).order_by("metric", "promise_id"))


@router.get("/attainment", response=list[AttainmentOut])
def attainment(
    request: HttpRequest, group_by: str = "promise", period: str = "", promise: int | None = None
) -> list[dict[str, Any]]:
    """Attainment of decided clocks with 95 % Wilson intervals, grouped (and per period).

    Over all time each row also gives the clocks that never started (``not_started``),
    the tickets in scope and ``coverage`` = decided clocks / tickets in scope; per period
    these three are null.
    """
    _require_read(request)
    if group_by not in GroupBy.values:
        raise HttpError(422, f"group_by must be one of: {', '.join(GroupBy.values)}.")
    if period and period not in Period.values:
        raise HttpError(422, f"period must be one of: {', '.join(Period.values)}.")
    rows = selectors.attainment(group_by=group_by, period=period or None, promise=promise)
    return [attainment_figures(r) for r in rows]


class AtRiskOut(Schema):
    clock: int
    ticket: int
    number: str
    title: str
    promise: int
    metric: str
    state: str
    customer: str
    asset: str
    assignee: str
    deadline: datetime | None
    warn_at: datetime | None
    business_left_s: int


@router.get("/at-risk", response=list[AtRiskOut])
@paginate(Pagination)
def at_risk(request: HttpRequest) -> list[dict[str, Any]]:
    """Running clocks past their warning point and breached ones, least business time
    left first (negative: overdue), of the tickets the caller may open."""
    _require_read(request)
    return [selectors.at_risk_row(a) for a in selectors.at_risk(user=request.user, limit=500)]


class NotificationOut(Schema):
    id: int
    ticket: int
    promise: int
    kind: str
    at: datetime
    read: bool

    @staticmethod
    def resolve_ticket(obj: Notification) -> int:
        return obj.ticket_id

    @staticmethod
    def resolve_promise(obj: Notification) -> int:
        return obj.promise_id


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pagination)
def notifications(request: HttpRequest) -> QuerySet[Notification]:
    """The caller's breach warnings, newest first (``kind``: warning or breach)."""
    _require_read(request)
    return notifications_of(request.user)  # type: ignore[arg-type]


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def notification_mark_read(request: HttpRequest, notification_id: int) -> Notification:
    """Mark one of the caller's notifications read."""
    _require_read(request)
    found = notifications_of(request.user).filter(pk=notification_id).first()  # type: ignore[arg-type]
    if found is None:
        raise HttpError(404, "There is no such notification of yours.")
    return notification_read(notification=found, by=request.user)  # type: ignore[arg-type]


class WhatIfQuery(Schema):
    """The replay's window, period and overridden terms (see ``measurement.replay_input``)."""

    from_: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD.")
    to: str | None = Field(None, description="Last day, YYYY-MM-DD (default today).")
    period: str | None = Field(None, description="week, month or quarter: adds periods.")
    target_value: str | None = None
    target_unit: str | None = None
    calendar: str | None = Field(None, description="Id of a business calendar.")
    start_statuses: str | None = Field(None, description="Comma-separated; empty: none.")
    pause_statuses: str | None = Field(None, description="Comma-separated; empty: none.")
    stop_statuses: str | None = Field(None, description="Comma-separated; empty: none.")
    reopen: str | None = Field(None, description="resume or new_cycle.")


@router.get(
    "/promises/{promise_id}/whatif",
    response={200: dict[str, Any], 403: dict[str, Any], 404: dict[str, Any], 422: dict[str, Any]},
)
def promise_whatif(
    request: HttpRequest, promise_id: int, query: Query[WhatIfQuery]
) -> Status[dict[str, Any]]:
    """Replay the promise's terms (any state, drafts included) over the tickets they would
    have covered; nothing is stored.

    ``from``/``to``: whole UTC days (YYYY-MM-DD), default the last 365 days; ``period``
    (week, month, quarter) adds ``periods``; the other parameters override the promise's
    terms, statuses comma-separated (empty: none). The answer gives ``n`` decided clocks,
    ``met``, ``rate`` with its 95 % Wilson interval, ``kept`` against the promised level
    and ``not_started``. A mistake is 422 with one sentence.
    """
    _require_read(request)
    promise = Promise.objects.select_related("calendar").filter(pk=promise_id).first()
    if promise is None:
        return Status(404, {"detail": f"There is no promise with id {promise_id}."})
    q = query.dict()
    given = ReplayInput(start=q.pop("from_"), end=q.pop("to"), **q)
    try:
        replay = replay_of_input(promise=promise, given=given)
    except ReplayError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(200, replay.to_dict())
