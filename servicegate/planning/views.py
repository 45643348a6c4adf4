"""Pages of planning: overview, staffing calculator, forecast, the feasibility panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from servicegate.core.permissions import capability_required, has_capability
from servicegate.engines.queueing import PlanningInputError
from servicegate.measurement.forms import ReplayForm
from servicegate.measurement.rules import METRIC_KINDS as CLOCKED_METRICS
from servicegate.planning.capacity import capacity_plan, teams
from servicegate.planning.charts import (
    LEGEND,
    bar_width,
    capacity_bars,
    forecast_chart,
    service_level_chart,
)
from servicegate.planning.feasibility import feasibility_report
from servicegate.planning.forms import (
    CapacityForm,
    FeasibilityForm,
    ForecastFilterForm,
    StaffingForm,
)
from servicegate.planning.panel import panel_figures
from servicegate.planning.selectors import (
    TicketScope,
    demand_forecast,
    latest_result,
    open_g1_review,
)
from servicegate.planning.services import feasibility_attach
from servicegate.planning.staffing import StaffingOutcome, staffing_compute
from servicegate.promises.models import Promise
from servicegate.promises.overlaps import overlapping


@capability_required("view_servicegate")
def index(request: HttpRequest) -> HttpResponse:
    """The planning overview: what is built, and what comes next."""
    return render(
        request,
        "planning/index.html",
    )


@capability_required("view_servicegate")
@require_http_methods(["GET", "POST"])
def staffing(request: HttpRequest) -> HttpResponse:
    """Erlang C / A calculator; a POST from HTMX gets the result fragment only."""
    data = request.POST if request.method == "POST" else (request.GET or _staffing_defaults())
    form = StaffingForm(data)
    outcome: StaffingOutcome | None = None
    error = ""
    if form.is_valid():
        try:
            outcome = staffing_compute(form.to_input())
        except PlanningInputError as exc:
            error = str(exc)
    context: dict[str, Any] = {
        "form": form,
        "outcome": outcome,
        "error": error,
        "chart": service_level_chart(outcome) if outcome else None,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "planning/_staffing_result.html", context)
    return render(request, "planning/staffing.html", context)


def _staffing_defaults() -> dict[str, Any]:
    """The calculator's initial values (the textbook case of docs/planning.md)."""
    return {k: f.initial for k, f in StaffingForm.base_fields.items() if f.initial is not None}


@capability_required("view_servicegate")
def forecast(request: HttpRequest) -> HttpResponse:
    """History and forecast of reactive tickets, with the backtest score."""
    form = ForecastFilterForm(request.GET or {"freq": "day", "horizon": 14})
    demand = None
    if form.is_valid():
        d = form.cleaned_data
        scope = TicketScope(
            segment_id=d["segment"].pk if d["segment"] else None, priority=d["priority"]
        )
        try:
            demand = demand_forecast(scope, freq=d["freq"], horizon_days=d["horizon"])
        except PlanningInputError as exc:
            form.add_error(None, str(exc))
    context = {
        "form": form,
        "demand": demand,
        "chart": forecast_chart(demand) if demand else None,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "planning/_forecast_result.html", context)
    return render(request, "planning/forecast.html", context)


def _panel(request: HttpRequest, promise: Promise, **extra: Any) -> HttpResponse:
    stored = latest_result(promise)
    figures, error = None, ""
    if stored is not None:
        figures = panel_figures(stored.result, stored.inputs)
    else:
        try:
            report = feasibility_report(promise)
            figures = panel_figures(report.result_dict(), report.inputs.to_dict())
        except PlanningInputError as exc:
            error = str(exc)
    review = open_g1_review(promise)
    can_attach = has_capability(request.user, "decide_gate") or has_capability(
        request.user, "plan_capacity"
    )
    context = {
        "promise": promise,
        "stored": stored,
        "figures": figures,
        "error": extra.pop("error", "") or error,
        "review": review,
        "overlaps": list(overlapping(promise)),
        "can_attach": can_attach and promise.made_by_id != request.user.pk,
        "form": extra.pop("form", None) or FeasibilityForm(),
        "whatif_form": ReplayForm(initial=ReplayForm.initial_of(promise))
        if promise.metric in CLOCKED_METRICS
        else None,
        **extra,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "planning/_feasibility_panel_body.html", context)
    return render(request, "planning/feasibility.html", context)


@capability_required("view_servicegate")
@require_http_methods(["GET", "POST"])
def feasibility_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The Gate-1 feasibility panel of a promise (GET); POST recomputes and attaches."""
    promise = get_object_or_404(Promise.objects.select_related("calendar"), pk=pk)
    if request.method == "GET":
        return _panel(request, promise)
    form = FeasibilityForm(request.POST)
    if not form.is_valid():
        return _panel(request, promise, form=form)
    try:
        feasibility_attach(
            promise=promise,
            by=request.user,
            extra_arrivals_per_week=form.cleaned_data["extra_per_week"] or 0.0,
        )
    except PlanningInputError as exc:
        return _panel(request, promise, form=form, error=str(exc))
    return _panel(request, promise, form=form, just_attached=True)


@capability_required("view_servicegate")
def capacity(request: HttpRequest) -> HttpResponse:
    """The joint capacity plan as a stacked weekly chart, with the what-if of an offer."""
    data = request.GET.copy()
    data.setdefault("weeks", "8")  # a what-if link names only its extra hours
    form = CapacityForm(data, teams=teams())
    plan, error = None, ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            plan = capacity_plan(
                weeks=d["weeks"], team=d["team"] or "", extra_hours=d["extra_hours"] or 0.0
            )
        except PlanningInputError as exc:
            error = str(exc)
    bars, ticks = capacity_bars(plan) if plan else ([], [])
    context = {
        "form": form,
        "plan": plan,
        "error": error,
        "bars": bars,
        "ticks": ticks,
        "bar_width": bar_width(plan) if plan else 0,
        "over": [w for w in plan.weeks if w.over_capacity] if plan else [],
        "aht_hours": plan.aht_seconds / 3600 if plan else 0,
        "legend": LEGEND,
    }
    return render(request, "planning/capacity.html", context)
