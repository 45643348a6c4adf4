"""Pages of the KVP register: findings and actions with filters, forms, the PDCA board,
an action with its stage strip and effect chart."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicegate.core.charts import bar_chart
from servicegate.core.permissions import capability_required, has_capability
from servicegate.engines.attainment import wilson_interval
from servicegate.improvement import services
from servicegate.improvement.choices import STAGE_ORDER, Stage
from servicegate.improvement.errors import StageError
from servicegate.improvement.forms import (
    ActionFilterForm,
    ActionForm,
    FindingFilterForm,
    FindingForm,
    MoveForm,
)
from servicegate.improvement.models import Action, Finding
from servicegate.improvement.scorecard import BY_LABELS, GROUPINGS, drill_down, scorecard
from servicegate.improvement.selectors import (
    ActionFilter,
    FindingFilter,
    action_detail,
    action_history,
    action_list,
    can_move_action,
    finding_detail,
    finding_list,
)
from servicegate.measurement.csat import CSAT_GROUPS


@capability_required("view_servicegate")
def finding_index(request: HttpRequest) -> HttpResponse:
    """The findings register, filterable by source, status and severity."""
    form = FindingFilterForm(request.GET or None)
    flt = FindingFilter(**form.cleaned_data) if form.is_valid() else FindingFilter()
    context = {"form": form, "findings": finding_list(flt)[:200]}
    return render(request, "improvement/finding_list.html", context)


@capability_required("view_servicegate")
def finding_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One finding with its actions."""
    finding = finding_detail(pk)
    if finding is None:
        raise Http404(_("There is no such finding."))
    context = {
        "finding": finding,
        "actions": action_list(ActionFilter(finding=finding.pk)),
        "can_lead": has_capability(request.user, "lead_improvement"),
    }
    return render(request, "improvement/finding_detail.html", context)


@capability_required("raise_finding")
def finding_new(request: HttpRequest) -> HttpResponse:
    """Raise a finding (a repeated one leads to the finding already open)."""
    keys = ("promise", "customer", "source", "ticket")
    initial = {k: request.GET[k] for k in keys if k in request.GET}
    form = FindingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The finding was recorded."))
            return redirect("improvement:finding_detail", pk=finding.pk)
    return render(request, "improvement/finding_form.html", {"form": form})


@capability_required("lead_improvement")
def finding_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding, pk=pk)
    if request.method == "POST":
        services.finding_close(finding=finding, by=request.user)
        messages.success(request, _("The finding was closed."))
    return redirect("improvement:finding_detail", pk=pk)


@capability_required("view_servicegate")
def action_index(request: HttpRequest) -> HttpResponse:
    """The actions register (a table or the PDCA board), filterable."""
    form = ActionFilterForm(request.GET or None)
    flt = ActionFilter()
    if form.is_valid():
        data = form.cleaned_data
        owner = request.user.pk if data["mine"] else None
        flt = ActionFilter(source=data["source"], stage=data["stage"], owner=owner)
    actions = list(action_list(flt)[:300])
    columns = [(s, [a for a in actions if a.stage == s.value]) for s in Stage]
    context = {
        "form": form,
        "actions": actions,
        "columns": columns,
        "board": request.GET.get("view") == "board",
    }
    return render(request, "improvement/action_list.html", context)


def _action_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    fields["window_days"] = fields.pop("window_days") or None
    return fields


@capability_required("raise_finding")
def action_new(request: HttpRequest) -> HttpResponse:
    """Open an action, from a finding (``?finding=``) or on its own."""
    finding = None
    if request.GET.get("finding", "").isdigit():
        finding = get_object_or_404(Finding, pk=int(request.GET["finding"]))
    form = ActionForm(request.POST or None, initial={"owner": request.user.pk, "window_days": 90})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                by=request.user, finding=finding, **_action_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The action was opened in “Plan”."))
            return redirect("improvement:action_detail", pk=action.pk)
    return render(request, "improvement/action_form.html", {"form": form, "finding": finding})


def effect_chart(action: Action) -> str:
    """Bars of the before and after rates with their Wilson intervals (percent)."""
    labels, rates, lows, highs = [], [], [], []
    for label, met, n in (
        (_("Baseline"), action.baseline_met, action.baseline_n),
        (_("After"), action.after_met, action.after_n),
    ):
        low, high = wilson_interval(met, n)
        labels.append(f"{label} (n={n})")
        rates.append(100 * met / n if n else 0.0)
        lows.append(100 * low if n else 0.0)
        highs.append(100 * high if n else 0.0)
    series = [
        (_("Interval low"), lows),
        (_("Rate"), rates),
        (_("Interval high"), highs),
    ]
    return str(bar_chart(_("Before and after"), labels, series, height=280, y_title="%"))


@capability_required("view_servicegate")
def action_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One action: stage strip, next move, effect with its chart, history."""
    action = action_detail(pk)
    if action is None:
        raise Http404(_("There is no such action."))
    at = STAGE_ORDER.index(action.stage)
    strip = [(s, i < at, i == at) for i, s in enumerate(Stage)]
    next_stage = Stage(STAGE_ORDER[at + 1]) if at + 1 < len(STAGE_ORDER) else None
    context = {
        "action": action,
        "strip": strip,
        "next_stage": next_stage,
        "can_move": can_move_action(request.user, action),
        "history": [
            (e, Stage(e.from_stage).label if e.from_stage else "", Stage(e.to_stage).label)
            for e in action_history(action)
        ],
        "chart": effect_chart(action) if action.effect_measured_at else "",
        "intervals": _intervals(action),
    }
    return render(request, "improvement/action_detail.html", context)


def _intervals(action: Action) -> list[tuple[str, int, int, float | None, float, float]]:
    rows = []
    for label, met, n in (
        (_("Baseline"), action.baseline_met, action.baseline_n),
        (_("After"), action.after_met, action.after_n),
    ):
        low, high = wilson_interval(met, n)
        rows.append((label, n, met, 100 * met / n if n else None, 100 * low, 100 * high))
    return rows


@capability_required("view_servicegate")
def action_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an action to its next stage (POST); refusals come back as messages."""
    action = get_object_or_404(Action, pk=pk)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_transition(
                action=action,
                to=form.cleaned_data["to"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except (StageError, ValidationError) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            messages.success(request, _("The action moved on."))
    return redirect("improvement:action_detail", pk=pk)


@capability_required("view_servicegate")
def action_measure(request: HttpRequest, pk: int) -> HttpResponse:
    """Measure the effect again (POST, in "check")."""
    action = get_object_or_404(Action, pk=pk)
    if request.method == "POST":
        try:
            services.action_effect_measure(action=action, by=request.user)
        except (StageError, ValidationError) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            messages.success(request, _("The effect was measured again."))
    return redirect("improvement:action_detail", pk=pk)


@capability_required("view_servicegate")
def scorecard_view(request: HttpRequest) -> HttpResponse:
    """Promised versus kept per product, segment, customer or promise maker."""
    by = request.GET.get("by", "product")
    if by not in GROUPINGS:
        by = "product"
    context = {
        "by": by,
        "by_label": BY_LABELS[by],
        "groupings": [(k, BY_LABELS[k]) for k in GROUPINGS],
        "rows": scorecard(by=by),
        "show_csat": by in CSAT_GROUPS,
    }
    return render(request, "improvement/scorecard.html", context)


@capability_required("view_servicegate")
def scorecard_drill(request: HttpRequest, by: str, key: int) -> HttpResponse:
    """The promises behind one scorecard row with attainment and breach causes."""
    if by not in GROUPINGS:
        raise Http404(_("There is no such scorecard grouping."))
    context = {"by": by, "by_label": BY_LABELS[by], "rows": drill_down(by, key)}
    return render(request, "improvement/scorecard_drill.html", context)
