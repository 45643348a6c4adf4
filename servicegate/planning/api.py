"""REST resources of the planning area under /api/v1/: staffing and promise feasibility."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from servicegate.api.fields import JsonObject
from servicegate.core.permissions import require_capability
from servicegate.engines.queueing import PlanningInputError
from servicegate.planning.capacity import capacity_plan
from servicegate.planning.feasibility import feasibility_report
from servicegate.planning.services import feasibility_attach
from servicegate.planning.staffing import StaffingInput, staffing_compute
from servicegate.promises.models import Promise
from servicegate.promises.overlaps import overlapping

router = Router(tags=["planning"])

ERRORS = {403: dict[str, Any], 404: dict[str, Any], 422: dict[str, Any]}


class StaffingIn(Schema):
    """Erlang C (or A with ``patience_seconds``) inputs: arrivals per interval, seconds, shares."""

    arrivals: float
    interval_seconds: float = 1800.0
    aht_seconds: float
    target_service_level: float
    answer_within_seconds: float = 20.0
    shrinkage: float = 0.0
    max_occupancy: float = 1.0
    patience_seconds: float | None = None
    agents: int | None = None


class FeasibilityIn(JsonObject):
    extra_per_week: float = 0.0
    confidence: float = 0.9


def _unprocessable(exc: PlanningInputError) -> Status[dict[str, Any]]:
    return Status(422, {"detail": str(exc)})


@router.post("/staffing/erlang", response={200: dict[str, Any], **ERRORS})
def staffing_erlang(request: HttpRequest, payload: StaffingIn) -> Status[Any]:
    """Agents and positions for a service-level target, or the figures of ``agents``."""
    require_capability(request.user, "view_servicegate")
    try:
        outcome = staffing_compute(StaffingInput(**payload.dict()))
    except PlanningInputError as exc:
        return _unprocessable(exc)
    return Status(200, outcome.to_dict())


@router.get("/promises/{promise_id}/feasibility", response={200: dict[str, Any], **ERRORS})
def promise_feasibility_get(
    request: HttpRequest, promise_id: int, extra_per_week: float = 0.0, confidence: float = 0.9
) -> Status[Any]:
    """Compute the Gate-1 feasibility of a promise now; stores nothing.

    ``overlaps``: ids of committed or in-service promises with the same metric whose
    scope intersects this one's (both would be measured on the shared tickets).
    """
    require_capability(request.user, "view_servicegate")
    promise = get_object_or_404(Promise.objects.select_related("calendar"), pk=promise_id)
    try:
        report = feasibility_report(
            promise, extra_arrivals_per_week=extra_per_week, confidence=confidence
        )
    except PlanningInputError as exc:
        return _unprocessable(exc)
    overlaps = list(overlapping(promise).values_list("pk", flat=True))
    return Status(200, {"promise": promise.pk, **report.to_dict(), "overlaps": overlaps})


@router.post("/promises/{promise_id}/feasibility", response={201: dict[str, Any], **ERRORS})
def promise_feasibility_attach(
    request: HttpRequest, promise_id: int, payload: FeasibilityIn
) -> Status[Any]:
    """Compute, store and attach the feasibility to the open G1 review (service managers)."""
    promise = get_object_or_404(Promise.objects.select_related("calendar"), pk=promise_id)
    try:
        result = feasibility_attach(
            promise=promise,
            by=request.user,
            extra_arrivals_per_week=payload.extra_per_week,
            confidence=payload.confidence,
        )
    except PlanningInputError as exc:
        return _unprocessable(exc)
    return Status(
        201,
        {
            "id": result.pk,
            "promise": promise.pk,
            "review": result.review_id,
            "verdict": result.verdict,
            "computed_at": result.computed_at.isoformat(),
            "inputs": result.inputs,
            "assessment": result.result,
        },
    )


@router.get("/capacity", response={200: dict[str, Any], **ERRORS})
def capacity_get(
    request: HttpRequest, weeks: int = 8, team: str = "", extra_hours: float = 0.0
) -> Status[Any]:
    """The joint capacity plan: one row per week from next Monday (see docs/scheduling.md).

    ``team`` narrows to one region's technicians, tickets and work orders;
    ``extra_hours`` adds preventive hours per week (what if an offer is accepted).
    """
    require_capability(request.user, "view_servicegate")
    try:
        plan = capacity_plan(weeks=weeks, team=team, extra_hours=extra_hours)
    except PlanningInputError as exc:
        return _unprocessable(exc)
    return Status(
        200,
        {
            "team": plan.team,
            "extra_hours": plan.extra_hours,
            "rows": [w.to_dict() for w in plan.weeks],
            "sources": {
                "reactive_tickets": [round(t, 3) for t in plan.reactive_tickets],
                "reactive_source": plan.reactive_source,
                "aht_seconds": round(plan.aht_seconds, 1),
                "aht_measured": plan.aht_measured,
                "aht_basis": "in_progress" if plan.aht_measured else "default",
                "work_tickets": plan.work_tickets,
                "buffer_promise": list(plan.buffer_promise),
                "technicians": plan.technicians,
            },
        },
    )
