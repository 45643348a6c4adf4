"""Pages of measurement: the dashboard (with HTMX fragments) and a promise's measurement."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from servicegate.catalog.models import Segment
from servicegate.core.charts import bar_chart, line_chart
from servicegate.core.permissions import capability_required, require_capability
from servicegate.measurement import figures, selectors, services
from servicegate.measurement.choices import BreachCause, GroupBy, Period
from servicegate.measurement.csat import csat_by
from servicegate.measurement.csv_safe import SafeWriter
from servicegate.measurement.forms import ReplayForm, WhatIfForm
from servicegate.measurement.replay import HistoryReplay, Overrides, ReplayError, history_replay
from servicegate.measurement.whatif import whatif_replay
from servicegate.operations.choices import Channel
from servicegate.promises.models import Promise


def _label(day: Any, period: str) -> str:
    if period == Period.QUARTER:
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    if period == Period.WEEK:
        return f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"
    return f"{day:%Y-%m}"


def _selected(filters: dict[str, Any], promises: list[Promise]) -> list[Promise]:
    chosen = promises
    if filters["promise"].isdigit():
        chosen = [p for p in chosen if p.pk == int(filters["promise"])]
    if filters["segment"].isdigit():
        chosen = [p for p in chosen if p.segment_id == int(filters["segment"])]
    return chosen


#: Periods the dashboard's trend shows (the latest ones); the promise page has them all.
TREND_PERIODS = {Period.WEEK: 52, Period.MONTH: 24, Period.QUARTER: 12}


def _trend_chart(promises: list[Promise], period: str) -> str:
    """Attainment per period; the current, incomplete period is a dot of its own (a line
    would draw its few decided clocks as a collapse) and its label says so."""
    periods, per = selectors.trend(promises=promises, period=period)
    keep = TREND_PERIODS.get(Period(period), len(periods))
    current = selectors.current_period(period)
    partial = bool(periods) and periods[-1] == current
    labels = [_label(d, period) for d in periods][-keep:]
    if partial:
        n = sum(per[p.pk][-1].n for p in promises[:4])
        partial_label = ngettext(
            "%(period)s (partial: %(n)s clock)", "%(period)s (partial: %(n)s clocks)", n
        )
        labels[-1] = partial_label % {"period": labels[-1], "n": n}
    series: list[tuple[str, list[float | None]]] = []
    levels: list[str] = []
    dots: list[str] = []
    for p in promises[:4]:
        values = [None if a.rate is None else round(100 * a.rate, 1) for a in per[p.pk]][-keep:]
        if partial:
            name = _("%(name)s, current period (partial)") % {"name": str(p)[:30]}
            dots.append(name)
            gaps: list[float | None] = [None] * (len(values) - 1)
            series.append((str(p)[:40], [*values[:-1], None]))
            series.append((name, [*gaps, values[-1]]))
        else:
            series.append((str(p)[:40], values))
        level = _("Promised: %(name)s") % {"name": str(p)[:30]}
        levels.append(level)
        series.append((level, [float(p.attainment_percent)] * len(labels)))
    return line_chart(
        _("Attainment per period against the promised level"),
        labels,
        series,
        percent=True,
        y_title="%",
        dashed=levels,
        dots_only=dots,
    )


def _pareto_chart(promises: list[Promise]) -> str:
    rows = selectors.pareto(promises=promises)
    labels = [str(BreachCause(c).label) if c in BreachCause.values else c for c, _n in rows]
    return bar_chart(
        _("Breaches by main cause"),
        labels,
        [(_("Breaches"), [float(n) for _c, n in rows])],
        horizontal=True,
    )


def _dashboard_context(filters: dict[str, Any]) -> dict[str, Any]:
    promises = selectors.measured_promises()
    chosen = _selected(filters, promises)
    return {
        "filters": filters,
        "promises": promises,
        "segments": Segment.objects.order_by("name"),
        "periods": Period.choices,
        "trend_chart": _trend_chart(chosen, filters["period"]) if chosen else "",
        "pareto_chart": _pareto_chart(chosen) if chosen else "",
        "overall": list(zip(chosen, selectors.overall(promises=chosen), strict=True)),
    }


def _dashboard_html(template: str, filters: dict[str, Any]) -> str:
    """The dashboard's body (or its charts alone) as rendered for everyone who may see it.

    Kept under the figures' generation (``measurement.figures``): every write that
    changes a figure or a promise's name gives a new one, so the page after a write
    shows it, and the pages in between read one row instead of the summaries.
    """
    return figures.cached(
        "dashboard",
        (template, sorted(filters.items())),
        lambda: render_to_string(template, _dashboard_context(filters)),
    )


@capability_required("view_servicegate")
def dashboard(request: HttpRequest) -> HttpResponse:
    """Attainment trend, breach Pareto and the live at-risk list."""
    filters = selectors.dashboard_filters(request.GET.dict())
    if request.headers.get("HX-Request") and request.GET.get("fragment") == "charts":
        return HttpResponse(_dashboard_html("measurement/_charts.html", filters))
    # The live at-risk list arrives by its own request (HTMX, on load and every minute):
    # the page itself serves the cached figures, rendered (and escaped) by the template.
    body = mark_safe(_dashboard_html("measurement/_dashboard_body.html", filters))
    return render(
        request, "measurement/dashboard.html", {"body": body, "nav_active": "measurement"}
    )


def _group_name(group_by: str, group: str, promise_names: dict[str, str]) -> str:
    """A group as the reader names it: a promise by its statement, a channel by its label."""
    if group_by == GroupBy.PROMISE:
        return promise_names.get(group, group)
    if group_by == GroupBy.CHANNEL:
        return str(dict(Channel.choices).get(group, group))
    return group


class AttainmentLine(NamedTuple):
    """A row of the attainment table: names to show, the figures, whether the period is
    the current, incomplete one."""

    group: str
    period: str
    row: selectors.Attainment
    partial: bool


MAX_ATTAINMENT_ROWS = 1000  # rows on the page; the CSV has them all


def _attainment_filters(params: dict[str, Any]) -> dict[str, Any]:
    group_by = params.get("group_by") or GroupBy.CUSTOMER
    period = params.get("period") or ""
    promise = str(params.get("promise") or "")
    return {
        "group_by": group_by if group_by in GroupBy.values else GroupBy.CUSTOMER,
        "period": period if period in Period.values else "",
        "promise": promise if promise.isdigit() else "",
    }


@capability_required("view_servicegate")
def attainment_view(request: HttpRequest) -> HttpResponse:
    """Attainment grouped by promise, product, segment, customer, team, channel or priority,
    optionally per week, month or quarter, with Wilson intervals; as a page or as CSV."""
    filters = _attainment_filters(request.GET.dict())
    promises = selectors.measured_promises()
    rows = selectors.attainment(
        group_by=filters["group_by"],
        period=filters["period"] or None,
        promise=int(filters["promise"]) if filters["promise"] else None,
    )
    names = {str(p.pk): f"{p} – {p.scope}" for p in promises}
    period = filters["period"]
    table = [
        AttainmentLine(
            _group_name(filters["group_by"], r.group, names),
            _label(r.period, period) if r.period else "",
            r,
            selectors.is_partial(r, period),
        )
        for r in selectors.worst_first(rows)
    ]
    if request.GET.get("format") == "csv":
        return _attainment_csv(table)
    shown = table[:MAX_ATTAINMENT_ROWS]
    return render(
        request,
        "measurement/attainment.html",
        {
            "filters": filters,
            "promises": promises,
            "group_choices": GroupBy.choices,
            "periods": Period.choices,
            "table": shown,
            "hidden": len(table) - len(shown),
            "nav_active": "measurement",
        },
    )


def _attainment_csv(table: list[AttainmentLine]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="attainment.csv"'
    writer = SafeWriter(response)
    writer.writerow(
        [
            "group",
            "period",
            "decided",
            "met",
            "rate",
            "ci_low",
            "ci_high",
            "level",
            "not_started",
            "in_scope",
            "coverage",
            "partial",
        ]
    )
    for group, period, r, partial in table:
        writer.writerow(
            [
                group,
                period,
                r.n,
                r.met,
                "" if r.rate is None else f"{r.rate:.4f}",
                f"{r.ci_low:.4f}",
                f"{r.ci_high:.4f}",
                "" if r.level is None else f"{r.level:.4f}",
                "" if r.not_started is None else r.not_started,
                "" if r.in_scope is None else r.in_scope,
                "" if r.coverage is None else f"{r.coverage:.4f}",
                "yes" if partial else "",
            ]
        )
    return response


@capability_required("view_servicegate")
def at_risk_fragment(request: HttpRequest) -> HttpResponse:
    """The at-risk list alone (polled every 60 s)."""
    return render(
        request, "measurement/_at_risk.html", {"at_risk": selectors.at_risk(user=request.user)}
    )


@capability_required("view_servicegate")
def promise_measurement(request: HttpRequest, promise_id: int) -> HttpResponse:
    """Attainment of one promise by period with Wilson CI, its breaches, the what-if form."""
    promise = get_object_or_404(Promise.objects.select_related("calendar"), pk=promise_id)
    period = selectors.dashboard_filters(request.GET.dict())["period"]
    rows = selectors.attainment(group_by="promise", period=period, promise=promise.pk)
    form = WhatIfForm(
        WhatIfForm.data_of(request.GET, promise) if "target_value" in request.GET else None,
        initial=WhatIfForm.initial_of(promise, period),
    )
    replay = None
    if form.is_bound and form.is_valid():
        o = form.overrides()
        replay = whatif_replay(
            promise=promise,
            target_value=o.target_value,
            target_unit=o.target_unit,
            calendar=o.calendar,
            pause_statuses=o.pause_statuses,
            start_statuses=o.start_statuses,
            stop_statuses=o.stop_statuses,
            reopen=o.reopen,
            period=form.chosen_period(),
        )
    return render(
        request,
        "measurement/promise.html",
        {
            "promise": promise,
            "rows": [
                (r, _label(r.period, period) if r.period else "", selectors.is_partial(r, period))
                for r in rows
            ],
            "overall": selectors.promise_attainment([promise.pk]).get(promise.pk),
            "csat": csat_by("promise", keys=[promise.pk]).get(promise.pk),
            "period": period,
            "periods": Period.choices,
            "breaches": selectors.breaches(promise=promise),
            "form": form,
            "replay": replay,
            "replay_rows": [(r, _label(r.period, period)) for r in replay.rows] if replay else [],
            "can_recompute": selectors.can_recompute(request.user),
            "nav_active": "measurement",
        },
    )


def _period_or_month(value: str | None) -> str:
    return value if value in Period.values else Period.MONTH


@capability_required("view_servicegate")
def promise_replay(request: HttpRequest, promise_id: int) -> HttpResponse:
    """A promise's terms (a draft's too; or a counter-proposal's, from the form) replayed
    over a window of the history; from HTMX the result alone (the G1 panel's what-if)."""
    promise = get_object_or_404(Promise.objects.select_related("calendar"), pk=promise_id)
    bound = "target_value" in request.GET
    form = ReplayForm(
        ReplayForm.data_of(request.GET, promise) if bound else None,
        initial=ReplayForm.initial_of(promise),
    )
    replay: HistoryReplay | None = None
    error = ""
    if not bound or form.is_valid():
        data = form.cleaned_data if bound else {}
        try:
            replay = history_replay(
                promise=promise,
                overrides=form.overrides() if bound else Overrides(),
                start=data.get("start"),
                end=data.get("end"),
                period=form.chosen_period()
                if bound
                else _period_or_month(request.GET.get("period")),
            )
        except ReplayError as exc:
            error = str(exc)
    context = {
        "promise": promise,
        "form": form,
        "replay": replay,
        "replay_periods": [(a, _label(a.period, replay.period or "")) for a in replay.periods]
        if replay
        else [],
        "error": error,
        "nav_active": "measurement",
    }
    if request.headers.get("HX-Request"):
        return render(request, "measurement/_replay.html", context)
    return render(request, "measurement/replay.html", context)


@require_POST
@capability_required("view_servicegate")
def promise_recompute(request: HttpRequest, promise_id: int) -> HttpResponse:
    """Start recomputing the promise's clocks in the background."""
    promise = get_object_or_404(Promise, pk=promise_id)
    if not selectors.can_recompute(request.user):
        require_capability(request.user, "plan_capacity")
    services.clocks_recompute_start(by=request.user, promise=promise)  # type: ignore[arg-type]
    messages.success(request, _("The clocks of this promise are being recomputed."))
    return redirect("measurement:promise", promise_id=promise.pk)
