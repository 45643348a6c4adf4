"""REST resources of the scheduling area under /api/v1/: the dispatcher's day plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from servicegate.core.permissions import require_capability
from servicegate.operations.models import Ticket
from servicegate.scheduling.errors import ScheduleRefused
from servicegate.scheduling.models import Visit
from servicegate.scheduling.selectors import latest_plan, plan_dict
from servicegate.scheduling.services import day_plan_create, day_plan_insert_urgent, visit_reassign

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
