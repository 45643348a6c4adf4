"""The planning charts (inline SVG through ``core.charts``)."""

from __future__ import annotations

import numpy as np
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from servicegate.core.charts import line_chart
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
