"""The planning charts (inline SVG through ``core.charts``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicegate.core.charts import line_chart
from servicegate.planning.capacity import CapacityPlan
from servicegate.planning.selectors import DemandForecast
from servicegate.planning.staffing import StaffingOutcome

#: History shown before the forecast: eight weeks of days or one week of hours.
HISTORY_SHOWN = {"day": 56, "hour": 7 * 24}


def service_level_chart(outcome: StaffingOutcome) -> SafeString:
    """Service level against the number of agents, with the target as a flat line."""
    labels = [str(m.agents) for m in outcome.curve]
    return line_chart(
        _("Service level by number of agents"),
        labels,
        [
            (_("Service level"), [100 * m.service_level for m in outcome.curve]),
            (_("Target"), [100 * outcome.target_service_level] * len(labels)),
        ],
        y_title=_("% answered in time"),
        percent=True,
        range_=(0, 100),
    )


def _label(start: np.datetime64, freq: str) -> str:
    text = str(start.astype("datetime64[m]"))
    return text[:10] if freq == "day" else text[5:16].replace("T", " ")


def forecast_chart(demand: DemandForecast) -> SafeString | None:
    """History, forecast and its prediction band; None without a forecast."""
    series, fc = demand.series, demand.forecast
    if series is None or fc is None:
        return None
    shown = min(HISTORY_SHOWN[series.freq], series.counts.size)
    hist_starts = series.bucket_starts[-shown:]
    history = series.counts[-shown:].tolist()
    ahead = fc.mean.size
    gap: list[float | None] = [None] * ahead
    before: list[float | None] = [None] * (shown - 1)
    last = [history[-1]] if shown else []  # join the forecast line to the history
    return line_chart(
        _("Reactive tickets: history and forecast"),
        [_label(s, series.freq) for s in (*hist_starts, *fc.bucket_starts)],
        [
            (_("Tickets"), [*history, *gap]),
            (_("Forecast"), [*before, *last, *fc.mean.tolist()]),
            (_("Lower bound"), [*before, *last, *fc.lower.tolist()]),
            (_("Upper bound"), [*before, *last, *fc.upper.tolist()]),
        ],
        y_title=_("tickets per %(freq)s") % {"freq": _(series.freq)},
    )


@dataclass(frozen=True)
class Segment:
    """One coloured part of a stacked bar, in SVG units."""

    y: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class WeekBar:
    """A week's stacked bar, its available-hours line and whether it is over capacity."""

    x: float
    label: str
    segments: tuple[Segment, ...]
    available_y: float
    over: bool


#: The capacity chart's series: CSS class, colour, label (stacked bottom to top).
LEGEND = (
    ("reactive", "#0b5cab", gettext_lazy("Reactive")),
    ("preventive", "#1a7f37", gettext_lazy("Preventive")),
    ("offer", "#9a6700", gettext_lazy("If the offer is accepted")),
    ("buffer", "#b0b8c4", gettext_lazy("Buffer")),
)
#: Plot area of the capacity chart (SVG units); bars grow upwards from BASE.
CHART_WIDTH, CHART_HEIGHT, BASE, LEFT = 720.0, 300.0, 260.0, 48.0


def capacity_bars(plan: CapacityPlan) -> tuple[list[WeekBar], list[tuple[float, str]]]:
    """Stacked bars (reactive, preventive, what-if, buffer) per week, and the y-axis ticks."""
    top = max(
        [w.demand_hours for w in plan.weeks] + [w.available_hours for w in plan.weeks] + [1.0]
    )
    scale = (BASE - 20.0) / top
    step = (CHART_WIDTH - LEFT - 10.0) / len(plan.weeks)
    bars = []
    for i, week in enumerate(plan.weeks):
        parts = (
            ("reactive", _("Reactive"), week.reactive_hours),
            ("preventive", _("Preventive"), week.preventive_hours - plan.extra_hours),
            ("offer", _("If the offer is accepted"), plan.extra_hours),
            ("buffer", _("Buffer"), week.buffer_hours),
        )
        y, segments = BASE, []
        for css, name, hours in parts:
            if hours <= 0:
                continue
            height = hours * scale
            y -= height
            title = f"{name}: {number_format(hours, 1)} h"
            segments.append(Segment(round(y, 2), round(height, 2), css, title))
        bars.append(
            WeekBar(
                x=round(LEFT + i * step + step * 0.15, 2),
                label=week.week.strftime("%d.%m."),
                segments=tuple(segments),
                available_y=round(BASE - week.available_hours * scale, 2),
                over=week.over_capacity,
            )
        )
    ticks = [(round(BASE - v * scale, 2), number_format(v, 0)) for v in np.linspace(0, top, 5)]
    return bars, ticks


def bar_width(plan: CapacityPlan) -> float:
    return round((CHART_WIDTH - LEFT - 10.0) / len(plan.weeks) * 0.7, 2)
