"""From a promise to the engine: clock rules, target seconds, calendar, metric ↔ ticket kind.

* Status lists of the promise hold ``TicketStatus`` values; unknown values are dropped.
  ``cancelled`` always stops a clock (a cancelled ticket needs no more work).
* **Start**: with no start statuses (the default) the clock starts when the ticket is
  opened (``opened_at``, a synthetic ``opened`` event), whatever statuses the ticket
  system recorded; naming start statuses is an explicit choice, and a ticket that never
  reaches one keeps a clock that has not started (counted as such in attainment).
* **First response** (and **update interval**, measured as the time to the first
  update) stop at the first status that shows work has started — ``in_progress``, any
  ``awaiting_*``, ``resolved``, ``closed``, ``cancelled`` — or at the ticket's
  ``responded_at`` if that is earlier; events after that stop are ignored, so a
  response clock never reopens.
* **Targets** in minutes or (business) hours are business seconds on the promise's
  calendar (on a 24×7 calendar that is wall time). A **business day** is the calendar's
  average open time per open weekday: ``weekly open seconds / days with opening hours``
  (8 h for Mon–Fri 08:00–16:00, 24 h for 24×7).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from servicegate.calendars.models import BusinessCalendar
from servicegate.calendars.selectors import engine_calendar
from servicegate.engines.calendars import Calendar, CalendarError, twenty_four_seven
from servicegate.engines.clocks import ClockRules
from servicegate.operations.choices import PREVENTIVE_KINDS, REACTIVE_KINDS, TicketStatus
from servicegate.promises.choices import Metric, PromiseState, TargetUnit
from servicegate.promises.models import Promise

RESPONDED = "responded"  # synthetic status at a ticket's responded_at
OPENED = "opened"  # synthetic status at a ticket's opened_at (the default start)
STATUS_NAMES: tuple[str, ...] = (*TicketStatus.values, RESPONDED, OPENED)
STATUS_CODE = {name: i for i, name in enumerate(STATUS_NAMES)}
PRIORITY_NAMES: tuple[str, ...] = ("P1", "P2", "P3", "P4")

MEASURED_STATES = frozenset(
    {PromiseState.COMMITTED, PromiseState.IN_SERVICE, PromiseState.UNDER_REVIEW}
)
TIME_UNITS = frozenset(
    {TargetUnit.MINUTES, TargetUnit.HOURS, TargetUnit.BUSINESS_HOURS, TargetUnit.BUSINESS_DAYS}
)
#: Which ticket kinds each clocked metric applies to.
METRIC_KINDS: dict[str, frozenset[str]] = {
    Metric.FIRST_RESPONSE: frozenset(REACTIVE_KINDS),
    Metric.RESOLUTION: frozenset(REACTIVE_KINDS),
    Metric.UPDATE_INTERVAL: frozenset(REACTIVE_KINDS),
    Metric.PREVENTIVE_ON_TIME: frozenset(PREVENTIVE_KINDS),
}
RESPONSE_METRICS = frozenset({Metric.FIRST_RESPONSE, Metric.UPDATE_INTERVAL})
WORK_STARTED = frozenset(
    {
        TicketStatus.IN_PROGRESS,
        TicketStatus.AWAITING_CUSTOMER,
        TicketStatus.AWAITING_VENDOR,
        TicketStatus.AWAITING_INTERNAL,
        TicketStatus.RESOLVED,
        TicketStatus.CLOSED,
        TicketStatus.CANCELLED,
        RESPONDED,
    }
)
DAY = 86_400


@dataclass(frozen=True)
class Terms:
    """The clock terms of a promise, overridable for a what-if replay."""

    metric: str
    target_value: Decimal
    target_unit: str
    calendar: BusinessCalendar
    start_statuses: tuple[str, ...]
    pause_statuses: tuple[str, ...]
    stop_statuses: tuple[str, ...]
    reopen: Literal["resume", "new_cycle"]
    warning_percent: int = 75

    @classmethod
    def of(cls, promise: Promise) -> Terms:
        reopen: Literal["resume", "new_cycle"] = (
            "new_cycle" if promise.reopen_behaviour == "new_cycle" else "resume"
        )
        return cls(
            metric=promise.metric,
            target_value=promise.target_value,
            target_unit=promise.target_unit,
            calendar=promise.calendar,
            start_statuses=tuple(promise.clock_start_statuses or ()),
            pause_statuses=tuple(promise.clock_pause_statuses or ()),
            stop_statuses=tuple(promise.clock_stop_statuses or ()),
            reopen=reopen,
            warning_percent=promise.warning_percent,
        )


def calendar_of(calendar: BusinessCalendar) -> Calendar:
    """The engine calendar; an empty definition means 24×7 in the calendar's zone."""
    if not calendar.definition:
        return twenty_four_seven(calendar.timezone or "UTC")
    return engine_calendar(calendar)


def business_day_seconds(cal: Calendar) -> int:
    """Average open seconds of an open weekday (see the module docstring)."""
    days = [sum(end - start for start, end in day) for day in cal.week]
    open_days = [d for d in days if d > 0]
    return round(sum(open_days) / len(open_days)) if open_days else DAY


def target_seconds(value: Decimal, unit: str, cal: Calendar) -> int:
    """The target in business seconds; ``ValueError`` for a non-time unit."""
    factor = {
        TargetUnit.MINUTES: 60,
        TargetUnit.HOURS: 3600,
        TargetUnit.BUSINESS_HOURS: 3600,
    }.get(TargetUnit(unit))
    if factor is None and unit == TargetUnit.BUSINESS_DAYS:
        factor = business_day_seconds(cal)
    if factor is None:
        raise ValueError(f"A clock needs a time target, not one in {unit!r}.")
    return round(Decimal(value) * factor)


def _known(statuses: tuple[str, ...]) -> frozenset[str]:
    return frozenset(s for s in statuses if s in STATUS_CODE)


def starts_at_opening(terms: Terms) -> bool:
    """Whether the clock starts when the ticket is opened (no start status named)."""
    return not _known(terms.start_statuses)


def clock_rules(terms: Terms, cal: Calendar) -> ClockRules:
    """The engine's rules for ``terms`` (see the module docstring)."""
    if terms.metric in RESPONSE_METRICS:
        stop = WORK_STARTED
    else:
        stop = _known(terms.stop_statuses) | {TicketStatus.CANCELLED}
    return ClockRules(
        start_statuses=_known(terms.start_statuses) or frozenset({OPENED}),
        pause_statuses=_known(terms.pause_statuses) - stop,
        stop_statuses=frozenset(stop),
        reopen=terms.reopen,
        target_seconds=target_seconds(terms.target_value, terms.target_unit, cal),
        warn_fractions=(terms.warning_percent / 100,),
    )


def is_clocked(promise: Promise) -> bool:
    """Whether ``promise`` gets clocks at all: measured state, clocked metric, time unit."""
    return (
        promise.state in MEASURED_STATES
        and promise.metric in METRIC_KINDS
        and promise.target_unit in TIME_UNITS
    )


def check_calendar(calendar: BusinessCalendar) -> Calendar | None:
    """The engine calendar, or None if the stored definition is unusable."""
    try:
        return calendar_of(calendar)
    except CalendarError:
        return None
