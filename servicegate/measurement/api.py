"""REST resources of the measurement area under /api/v1/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from servicegate.api.pagination import Pagination
from servicegate.core.permissions import has_capability
from servicegate.measurement import selectors
from servicegate.measurement.choices import GroupBy, Period
from servicegate.measurement.models import Clock, Notification
from servicegate.measurement.notifications import notification_read, notifications_of
from servicegate.operations.selectors import tickets_visible_to
from servicegate.promises.api import AttainmentOut as FiguresOut

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
