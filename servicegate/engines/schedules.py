"""When agents work: opening-hours schedules for the queue simulation.

A :class:`Schedule` answers three questions about an instant ``t`` (seconds, epoch
seconds when the schedule is tied to real dates): is it open, when does it next open,
and when does it next close. :data:`ALWAYS_OPEN` never closes; :class:`WeeklySchedule`
repeats fixed weekly intervals at a fixed UTC offset; :class:`PredicateSchedule` adapts
any ``open(t) -> bool`` callable. :func:`add_business_seconds` and
:func:`business_seconds` walk a schedule's open stretches.

Pure Python; never imports Django.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from servicegate.engines.queueing import PlanningInputError

__all__ = [
    "ALWAYS_OPEN",
    "WEEK",
    "PredicateSchedule",
    "Schedule",
    "WeeklySchedule",
    "add_business_seconds",
    "business_seconds",
]

WEEK = 7 * 86400.0
_MONDAY_OFFSET = 3 * 86400.0  # 1970-01-01 was a Thursday; Monday 00:00 is 3 days earlier.


class Schedule(Protocol):
    """When work happens. ``next_open(t)`` is ``t`` itself while open; ``next_close(t)``
    is the first closing instant after an open ``t`` (``inf`` if it never closes)."""

    def is_open(self, t: float) -> bool: ...

    def next_open(self, t: float) -> float: ...

    def next_close(self, t: float) -> float: ...


@dataclass(frozen=True)
class _AlwaysOpen:
    def is_open(self, t: float) -> bool:
        return True

    def next_open(self, t: float) -> float:
        return t

    def next_close(self, t: float) -> float:
        return math.inf


ALWAYS_OPEN: Schedule = _AlwaysOpen()


@dataclass(frozen=True)
class WeeklySchedule:
    """Open intervals repeating every week.

    ``intervals`` are ``(start, end)`` seconds since Monday 00:00 local time
    (``0 ≤ start < end ≤ 604800``, non-overlapping); ``utc_offset_seconds`` shifts
    epoch seconds to local time (e.g. 3600 for CET). Mon–Fri 8–17 is
    ``WeeklySchedule.workdays(8, 17)``.
    """

    intervals: tuple[tuple[float, float], ...]
    utc_offset_seconds: float = 0.0

    def __post_init__(self) -> None:
        spans = sorted(self.intervals)
        if not spans or any(not 0 <= s < e <= WEEK for s, e in spans):
            raise PlanningInputError(
                "The weekly schedule needs at least one (start, end) interval in seconds "
                "since Monday 00:00 with 0 <= start < end <= 604800."
            )
        if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
            raise PlanningInputError("The weekly schedule's open intervals must not overlap.")
        object.__setattr__(self, "intervals", tuple(spans))

    @classmethod
    def workdays(
        cls, open_hour: float, close_hour: float, *, days: int = 5, utc_offset_seconds: float = 0
    ) -> WeeklySchedule:
        """Open ``open_hour``–``close_hour`` on the first ``days`` weekdays (Monday first)."""
        spans = tuple(
            (d * 86400 + open_hour * 3600, d * 86400 + close_hour * 3600) for d in range(days)
        )
        return cls(spans, utc_offset_seconds)

    @property
    def open_fraction(self) -> float:
        """Share of the week that is open."""
        return sum(e - s for s, e in self.intervals) / WEEK

    def _split(self, t: float) -> tuple[float, float]:
        local = t + self.utc_offset_seconds + _MONDAY_OFFSET
        week_start = math.floor(local / WEEK) * WEEK
        return week_start - self.utc_offset_seconds - _MONDAY_OFFSET, local - week_start

    def is_open(self, t: float) -> bool:
        _, pos = self._split(t)
        return any(s <= pos < e for s, e in self.intervals)

    def next_open(self, t: float) -> float:
        base, pos = self._split(t)
        for s, e in self.intervals:
            if pos < e:
                return t if pos >= s else base + s
        return base + WEEK + self.intervals[0][0]

    def next_close(self, t: float) -> float:
        base, pos = self._split(self.next_open(t))
        end = next(e for s, e in self.intervals if s <= pos < e)
        close = base + end
        # Intervals that touch across the week boundary run on.
        if end == WEEK and self.intervals[0][0] == 0:
            return self.next_close(close)
        return close


@dataclass(frozen=True)
class PredicateSchedule:
    """Adapts any ``open(t) -> bool`` callable, resolved to ``step_seconds``.

    Openings and closings are found by stepping, at most ``max_search_seconds``
    ahead (then the schedule is taken as closed for good).
    """

    open: Callable[[float], bool]
    step_seconds: float = 60.0
    max_search_seconds: float = 400 * 86400.0

    def is_open(self, t: float) -> bool:
        return bool(self.open(t))

    def _scan(self, t: float, want_open: bool) -> float:
        u, stop = t, t + self.max_search_seconds
        while u < stop:
            if bool(self.open(u)) == want_open:
                return u
            u = (math.floor(u / self.step_seconds) + 1) * self.step_seconds
        return math.inf

    def next_open(self, t: float) -> float:
        return self._scan(t, True)

    def next_close(self, t: float) -> float:
        return self._scan(self.next_open(t), False)


def add_business_seconds(schedule: Schedule, start: float, seconds: float) -> float:
    """Instant at which ``seconds`` of open time have passed after ``start``."""
    t, left = schedule.next_open(start), seconds
    while True:
        close = schedule.next_close(t)
        if t + left <= close:
            return t + left
        left -= close - t
        t = schedule.next_open(close)


def business_seconds(schedule: Schedule, start: float, end: float) -> float:
    """Open seconds between ``start`` and ``end`` (zero when ``end <= start``)."""
    total, t = 0.0, schedule.next_open(start)
    while t < end:
        close = schedule.next_close(t)
        total += min(close, end) - t
        t = schedule.next_open(close)
    return total
