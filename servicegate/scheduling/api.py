"""REST resources of the scheduling area under /api/v1/: the dispatcher's day plan."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from servicegate.api.fields import IsoDate
from servicegate.api.pagination import Pagination
from servicegate.core.permissions import require_capability
from servicegate.operations.models import Ticket
from servicegate.scheduling.errors import ScheduleRefused
from servicegate.scheduling.models import Absence, Visit
from servicegate.scheduling.selectors import absence_list, latest_plan, plan_dict
from servicegate.scheduling.services import (
    absence_add,
    day_plan_create,
    day_plan_insert_urgent,
    technician_base_set,
    visit_reassign,
)
from servicegate.team.models import Technician

router = Router(tags=["scheduling"])

ERRORS = {403: dict[str, Any], 404: dict[str, Any], 409: dict[str, Any], 422: dict[str, Any]}


class ScheduleIn(Schema):
    """The day to plan, optionally only some technicians, and tickets whose visit stays."""

    date: dt.date
    technicians: list[int] | None = None
    fixed: list[int] = []


class UrgentIn(Schema):
    ticket: int


class ReassignIn(Schema):
    technician: int


def _refused(exc: ScheduleRefused) -> Status[dict[str, Any]]:
    return Status(exc.status, {"detail": str(exc)})


@router.post("/schedule", response={201: dict[str, Any], **ERRORS})
def schedule_create(request: HttpRequest, payload: ScheduleIn) -> Status[Any]:
    """Plan a day's preventive work orders and open on-site tickets (dispatch)."""
    require_capability(request.user, "dispatch")
    try:
        plan = day_plan_create(
            day=payload.date,
            by=request.user,
            technician_ids=payload.technicians,
            fixed=payload.fixed,
        )
    except ScheduleRefused as exc:
        return _refused(exc)
    return Status(201, plan_dict(plan))


# Declared before GET /schedule/{date}: Django resolves the first matching path, and
# "urgent" would otherwise match {date} and answer POST with 405.
@router.post("/schedule/urgent", response={201: dict[str, Any], **ERRORS})
def schedule_urgent(request: HttpRequest, payload: UrgentIn) -> Status[Any]:
    """Insert an urgent on-site ticket into today's plan; started visits stay fixed."""
    require_capability(request.user, "dispatch")
    ticket = get_object_or_404(Ticket, pk=payload.ticket)
    try:
        plan = day_plan_insert_urgent(ticket=ticket, by=request.user)
    except ScheduleRefused as exc:
        return _refused(exc)
    return Status(201, plan_dict(plan))


@router.get("/schedule/{date}", response={200: dict[str, Any], **ERRORS})
def schedule_get(request: HttpRequest, date: dt.date) -> Status[Any]:
    """The plan in force for a day."""
    require_capability(request.user, "view_servicegate")
    plan = latest_plan(date)
    if plan is None:
        return Status(
            404, {"detail": _("There is no plan for %(day)s yet.") % {"day": date.isoformat()}}
        )
    return Status(200, plan_dict(plan))


@router.post("/visits/{visit_id}/reassign", response={201: dict[str, Any], **ERRORS})
def visit_reassign_post(request: HttpRequest, visit_id: int, payload: ReassignIn) -> Status[Any]:
    """Move a visit to another technician; the day is re-planned and re-checked."""
    require_capability(request.user, "dispatch")
    visit = get_object_or_404(Visit.objects.select_related("plan"), pk=visit_id)
    try:
        plan = visit_reassign(visit=visit, technician_id=payload.technician, by=request.user)
    except ScheduleRefused as exc:
        return _refused(exc)
    return Status(201, plan_dict(plan))


class BaseIn(Schema):
    latitude: float
    longitude: float


class AbsenceIn(Schema):
    technician: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str


@router.put("/technicians/{technician_id}/base", response={200: dict[str, Any], **ERRORS})
def technician_base_put(request: HttpRequest, technician_id: int, payload: BaseIn) -> Status[Any]:
    """Set a technician's home base (where the day's route starts and ends)."""
    require_capability(request.user, "manage_team")
    technician = get_object_or_404(Technician, pk=technician_id)
    try:
        base = technician_base_set(
            technician=technician,
            latitude=payload.latitude,
            longitude=payload.longitude,
            by=request.user,
        )
    except ScheduleRefused as exc:
        return _refused(exc)
    return Status(
        200, {"technician": technician.pk, "latitude": base.latitude, "longitude": base.longitude}
    )


@router.post("/absences", response={201: dict[str, Any], **ERRORS})
def absence_post(request: HttpRequest, payload: AbsenceIn) -> Status[Any]:
    """Record a technician's absence; capacity plans and day plans leave the time out."""
    require_capability(request.user, "manage_team")
    technician = get_object_or_404(Technician, pk=payload.technician)
    try:
        absence = absence_add(
            technician=technician,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            reason=payload.reason,
            by=request.user,
        )
    except ScheduleRefused as exc:
        return _refused(exc)
    return Status(
        201,
        {
            "id": absence.pk,
            "technician": technician.pk,
            "starts_at": absence.starts_at.isoformat(),
            "ends_at": absence.ends_at.isoformat(),
            "reason": absence.reason,
        },
    )


class AbsenceOut(Schema):
    id: int
    technician: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str

    @staticmethod
    def resolve_technician(obj: Absence) -> int:
        return obj.technician_id


class AbsenceFilter(Schema):
    """``technician``, and ``start``/``end`` (days) to list only absences touching them."""

    technician: int | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None


@router.get("/absences", response=list[AbsenceOut])
@paginate(Pagination)
def absences(request: HttpRequest, filters: Query[AbsenceFilter]) -> QuerySet[Absence]:
    """Absences by start, filtered by technician and by the days they touch."""
    require_capability(request.user, "view_servicegate")
    return absence_list(technician_id=filters.technician, start=filters.start, end=filters.end)
