"""How a stored promise reads for the queueing engines: metric kind, target seconds, hours.

* ``first_response``, ``onsite_arrival`` and ``update_interval`` are waits until a
  technician acts (engine metric ``"response"``); ``resolution`` is wait plus work
  (``"resolution"``). Percentage promises (availability, first-time fix, preventive
  visits on time) are no queueing question: they are refused with a sentence.
* Targets in business hours or days are business time of the promise's calendar;
  one business day is the calendar's mean open time per open weekday. Minutes and
  hours are read as business time as well — exact for a 24/7 calendar, optimistic
  for a calendar with closed hours.
* The open fraction is the calendar's open share of a normal week (holidays ignored).
"""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.calendars.selectors import engine_calendar
from servicegate.engines.calendars import Calendar, CalendarError
from servicegate.engines.queueing import PlanningInputError
from servicegate.promises.choices import Metric, TargetUnit
from servicegate.promises.models import Promise

EngineMetric = Literal["response", "resolution"]

WEEK_SECONDS = 7 * 86_400
METRIC_KINDS: dict[str, EngineMetric] = {
    Metric.FIRST_RESPONSE: "response",
    Metric.ONSITE_ARRIVAL: "response",
    Metric.UPDATE_INTERVAL: "response",
    Metric.RESOLUTION: "resolution",
}
#: Which ticket instant ends the clock of each engine metric.
END_FIELDS: dict[EngineMetric, str] = {"response": "responded_at", "resolution": "resolved_at"}


def metric_kind(promise: Promise) -> EngineMetric:
    """The engine metric of ``promise``; a percentage promise is refused with a sentence."""
    kind = METRIC_KINDS.get(promise.metric)
    if kind is None or promise.target_unit == TargetUnit.PERCENT:
        raise PlanningInputError(
            _(
                "The feasibility check covers time promises (first response, on-site arrival, "
                "update interval, resolution); judge a %(metric)s promise from its measured "
                "history instead."
            )
            % {"metric": promise.get_metric_display()}
        )
    return kind


def calendar_of(calendar: BusinessCalendar) -> Calendar:
    """The engine calendar of a stored one; an unreadable definition is one sentence."""
    try:
        return engine_calendar(calendar)
    except CalendarError as exc:
        raise PlanningInputError(
            _("The business calendar “%(name)s” cannot be read (%(error)s); fix it first.")
            % {"name": calendar.name, "error": exc}
        ) from None


def open_seconds_per_week(cal: Calendar) -> float:
    """Open seconds of a normal week (no holidays)."""
    return float(sum(end - start for day in cal.week for start, end in day))


def overlap_seconds_per_week(a: Calendar, b: Calendar) -> float:
    """Seconds of a normal week open in both calendars (weekday by weekday, each in its
    own local time; holidays left out)."""
    return float(
        sum(
            max(0, min(end_a, end_b) - max(start_a, start_b))
            for day_a, day_b in zip(a.week, b.week, strict=True)
            for start_a, end_a in day_a
            for start_b, end_b in day_b
        )
    )


def open_fraction(cal: Calendar) -> float:
    """Open share of a normal week, 0..1."""
    return min(1.0, open_seconds_per_week(cal) / WEEK_SECONDS)


def business_day_seconds(cal: Calendar) -> float:
    """Mean open seconds of an open weekday (one "business day" of this calendar)."""
    open_days = sum(1 for day in cal.week if day)
    return open_seconds_per_week(cal) / open_days if open_days else 0.0


def target_seconds(promise: Promise, cal: Calendar) -> float:
    """The promised target in business seconds of ``cal``."""
    value = float(promise.target_value)
    unit = promise.target_unit
    if unit == TargetUnit.MINUTES:
        return value * 60.0
    if unit in (TargetUnit.HOURS, TargetUnit.BUSINESS_HOURS):
        return value * 3600.0
    if unit == TargetUnit.BUSINESS_DAYS:
        return value * business_day_seconds(cal)
    raise PlanningInputError(
        _("The target unit %(unit)s is no duration; the feasibility check needs a time target.")
        % {"unit": promise.get_target_unit_display()}
    )
