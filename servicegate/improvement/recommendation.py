"""The recommendation back to Sales for one promise: keep, tighten, relax, reprice,
add capacity or change the calendar — from measurement and the feasibility engine.

Evidence: the promise's attainment over its decided clocks with the 95 % Wilson
interval (measurement), its breaches per main cause (measurement's Pareto), the share
of breached clocks whose ticket was opened while the promise's calendar was closed,
and the staff the feasibility engine needs for it against the staff on duty (the last
stored G1 result, else computed now; none for percentage promises).

Rules, in this order (``level`` = promised attainment):

1. No decided clock yet → **keep** (nothing to judge).
2. Kept with the whole interval above the level (``ci_low >= level``): spare staff
   (needed < available, or unknown) → **tighten** (sell a higher level); else **keep**.
3. Missed with the whole interval below it (``ci_high < level``):
   more than half the breaches opened outside the calendar's hours → **change_calendar**;
   main cause the queue and staff short (needed > available) → **add_capacity**;
   main cause the queue with enough staff → **reprice** (the load the price buys);
   main cause the work itself, waiting or reassignments → **relax** the target.
4. Otherwise (the interval straddles the level) → **keep** and gather more data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicegate.engines.calendars import compile_calendar
from servicegate.measurement.models import Clock
from servicegate.measurement.rules import calendar_of
from servicegate.measurement.selectors import pareto, promise_attainment
from servicegate.promises.models import Promise

KEEP, TIGHTEN, RELAX, REPRICE, ADD_CAPACITY, CHANGE_CALENDAR = (
    "keep",
    "tighten",
    "relax",
    "reprice",
    "add_capacity",
    "change_calendar",
)
RECOMMENDATIONS = (KEEP, TIGHTEN, RELAX, REPRICE, ADD_CAPACITY, CHANGE_CALENDAR)


@dataclass(frozen=True)
class Recommendation:
    recommendation: str
    reason: str
    evidence: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "recommendation": self.recommendation,
            "reason": self.reason,
            "evidence": self.evidence,
        }


#: How long a computed staffing figure is reused (the feasibility engine takes seconds).
STAFFING_CACHE_SECONDS = 600


def staffing(promise: Promise) -> tuple[int | None, int | None]:
    """(staff needed, staff available) from the feasibility engine, or (None, None);
    a computed figure is cached for ``STAFFING_CACHE_SECONDS`` per promise as last saved."""
    key = f"kvp:staffing:{promise.pk}:{promise.version}:{promise.updated_at.timestamp()}"
    cached = cache.get(key)
    if cached is None:
        cached = _staffing(promise)
        cache.set(key, cached, STAFFING_CACHE_SECONDS)
    return cached[0], cached[1]


def _staffing(promise: Promise) -> tuple[int | None, int | None]:
    from servicegate.planning.feasibility import promise_feasibility
    from servicegate.planning.selectors import latest_result

    stored = latest_result(promise)
    if stored is not None and stored.result:
        return stored.result.get("staffing_needed"), stored.result.get("agents")
    try:
        assessment = promise_feasibility(promise)
    except Exception:  # the engine refuses promises it cannot assess (percentages)
        return None, None
    return assessment.staffing_needed, assessment.agents


def off_hours_share(promise: Promise, limit: int = 2000) -> float | None:
    """Share of the breached clocks whose ticket was opened while the calendar was closed."""
    opened = list(
        Clock.objects.filter(promise=promise, breached=True)
        .order_by("-decided_at")
        .values_list("ticket__opened_at", flat=True)[:limit]
    )
    if not opened:
        return None
    epochs = np.array([int(t.timestamp()) for t in opened], dtype=np.int64)
    cal = calendar_of(promise.calendar)
    day = 86_400
    intervals = compile_calendar(cal, int(epochs.min()) - day, int(epochs.max()) + 2 * day)
    open_minute = intervals.business_seconds(epochs, epochs + 60)
    return float(np.mean(open_minute == 0))


def recommend(promise: Promise) -> Recommendation:
    """The recommendation for ``promise`` by the rules of the module docstring."""
    measured = promise_attainment([promise.pk]).get(promise.pk)
    level = float(promise.attainment_percent) / 100
    causes = pareto(promises=[promise])
    needed, available = staffing(promise)
    evidence: dict[str, Any] = {
        "attainment": measured.rate if measured else None,
        "ci_low": measured.ci_low if measured and measured.n else None,
        "ci_high": measured.ci_high if measured and measured.n else None,
        "target": level,
        "tickets": measured.n if measured else 0,
        "breach_causes": {cause or "none": count for cause, count in causes},
        "staffing_needed": needed,
        "staffing_available": available,
        "off_hours_share": None,
    }
    if measured is None or not measured.n:
        return Recommendation(KEEP, str(REASONS["no_data"]), evidence)
    short = needed is not None and available is not None and needed > available
    spare = needed is None or available is None or needed < available
    if measured.ci_low >= level:
        key = "kept_spare" if spare else "kept_tight"
        return Recommendation(TIGHTEN if spare else KEEP, str(REASONS[key]), evidence)
    if measured.ci_high >= level:
        return Recommendation(KEEP, str(REASONS["undecided"]), evidence)
    share = off_hours_share(promise)
    evidence["off_hours_share"] = share
    main = causes[0][0] if causes else ""
    if share is not None and share > 0.5:
        return Recommendation(CHANGE_CALENDAR, str(REASONS["off_hours"]), evidence)
    if main == "queue" and short:
        return Recommendation(ADD_CAPACITY, str(REASONS["queue_short"]), evidence)
    if main == "queue":
        return Recommendation(REPRICE, str(REASONS["queue"]), evidence)
    return Recommendation(RELAX, str(REASONS["work"]), evidence)


REASONS = {
    "no_data": gettext_lazy("No clock of this promise is decided yet: keep it and measure."),
    "kept_spare": gettext_lazy(
        "Kept with the whole interval above the promised level and spare staff: "
        "tighten it or sell a higher level."
    ),
    "kept_tight": gettext_lazy(
        "Kept with the whole interval above the promised level, but without spare staff: keep it."
    ),
    "undecided": gettext_lazy(
        "The interval straddles the promised level: keep it and gather more data."
    ),
    "off_hours": gettext_lazy(
        "Missed, and most breaches began while the promise's calendar was closed: "
        "change the calendar (or the hours promised)."
    ),
    "queue_short": gettext_lazy(
        "Missed because tickets wait in the queue and the staff on duty is short of what "
        "the promise needs: add capacity."
    ),
    "queue": gettext_lazy(
        "Missed because tickets wait in the queue although the staff suffices on average: "
        "reprice for the load it brings."
    ),
    "work": gettext_lazy(
        "Missed because the work itself, waiting or reassignments take longer than the "
        "target: relax the target."
    ),
}


def recommendation_for(promise: Promise) -> dict[str, Any]:
    """What the G4 review shows (the hook ``SERVICEGATE_PROMISE_RECOMMENDATION``)."""
    rec = recommend(promise)
    labels = dict(recommendation_labels())
    return {**rec.as_dict(), "label": labels[rec.recommendation], "at": timezone.now()}


def recommendation_labels() -> list[tuple[str, str]]:
    return [
        (KEEP, _("keep")),
        (TIGHTEN, _("tighten")),
        (RELAX, _("relax")),
        (REPRICE, _("reprice")),
        (ADD_CAPACITY, _("add capacity")),
        (CHANGE_CALENDAR, _("change the calendar")),
    ]
