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
from servicegate.measurement.models import Clock
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


@router.get("/at-risk", response=list[ClockOut])
@paginate(Pagination)
def at_risk(request: HttpRequest, hours: float = 4.0) -> QuerySet[Clock]:
    """Open clocks due within ``hours`` (the warning window), earliest deadline first."""
    from datetime import timedelta

    _require_read(request)
    return selectors.at_risk_queryset(window=timedelta(hours=hours))
