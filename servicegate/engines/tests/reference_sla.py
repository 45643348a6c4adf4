"""A slow, independent reference for business time, used only by the tests.

It walks local calendar days one by one, converts each interval's wall-clock ends to UTC
by trying the offsets in force around that moment (no ``fold`` arithmetic), merges the
intervals with plain Python, and measures overlaps interval by interval. Deadlines step
through the open pieces in order. Nothing here is vectorised or shared with the engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_pkg

from servicegate.engines.calendars import Calendar

Span = tuple[int, int]
_EPOCH = datetime(1970, 1, 1)


def _wall(tz: ZoneInfo, u: int) -> datetime:
    """Naive local wall-clock time of UTC instant ``u``."""
    return datetime.fromtimestamp(u, tz).replace(tzinfo=None)


def wall_to_utc(tz: ZoneInfo, wall: datetime) -> int:
    """First instant whose wall clock shows ``wall``; in a DST gap, the first instant after it."""
    naive_s = int((wall - _EPOCH).total_seconds())
    offsets = set()
    for probe in (naive_s - 86_400, naive_s, naive_s + 86_400):
        offset = datetime.fromtimestamp(probe, tz).utcoffset()
        assert offset is not None
        offsets.add(int(offset.total_seconds()))
    candidates = sorted(naive_s - o for o in offsets)
    matching = [u for u in candidates if _wall(tz, u) == wall]
    if matching:
        return matching[0]
    lo, hi = candidates[0], candidates[-1]
    while hi - lo > 1:  # the wall clock jumps over `wall` somewhere in (lo, hi]
        mid = (lo + hi) // 2
        if _wall(tz, mid) > wall:
            hi = mid
        else:
            lo = mid
    return hi


@cache
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays_pkg.country_holidays(country, subdiv=subdivision, years=year))


def day_rules(cal: Calendar, day: date) -> tuple[tuple[int, int], ...]:
    """Intervals (seconds from local midnight) that start on ``day``."""
    if day in cal.special:
        return cal.special[day]
    if day in cal.holidays:
        return ()
    country = cal.holiday_country
    if country and day in _public_holidays(country, cal.holiday_subdivision, day.year):
        return ()
    return cal.week[day.weekday()]


@lru_cache(maxsize=200_000)
def utc_intervals_of_day(cal: Calendar, day: date) -> tuple[Span, ...]:
    """The day's intervals in UTC, empty ones dropped."""
    tz = ZoneInfo(cal.timezone)
    midnight = datetime(day.year, day.month, day.day)
    out = []
    for a, b in day_rules(cal, day):
        u0 = wall_to_utc(tz, midnight + timedelta(seconds=a))
        u1 = wall_to_utc(tz, midnight + timedelta(seconds=b))
        if u1 > u0:
            out.append((u0, u1))
    return tuple(out)


def union(spans: Sequence[Span]) -> list[Span]:
    """Union of spans as sorted, disjoint, non-touching spans."""
    merged: list[list[int]] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _local_day(cal: Calendar, u: int) -> date:
    return datetime.fromtimestamp(u, ZoneInfo(cal.timezone)).date()


def open_spans(cal: Calendar, lo: int, hi: int) -> list[Span]:
    """Open spans of the calendar intersecting ``[lo, hi]``."""
    day = _local_day(cal, lo) - timedelta(days=2)
    last = _local_day(cal, hi) + timedelta(days=1)
    spans: list[Span] = []
    while day <= last:
        spans.extend(utc_intervals_of_day(cal, day))
        day += timedelta(days=1)
    return union(spans)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def business_seconds(cal: Calendar, start: int, end: int, pauses: Sequence[Span] = ()) -> int:
    """Open seconds in ``[start, end)`` not inside any pause."""
    window = (start, end)
    paused = union([(max(a, start), min(b, end)) for a, b in pauses])
    total = 0
    for span in open_spans(cal, start, end):
        total += _overlap(span, window)
        total -= sum(_overlap(span, p) for p in paused)
    return total


def _pieces(cal: Calendar, start: int, pauses: Sequence[Span]) -> Iterator[Span]:
    """Open, unpaused pieces at or after ``start``, in order, week by week."""
    paused = union(pauses)
    lo = start
    while True:
        hi = lo + 7 * 86_400
        for a, b in open_spans(cal, lo, hi):
            a, b = max(a, lo), min(b, hi)
            cut = a
            for pa, pb in paused:
                if pb <= cut or pa >= b:
                    continue
                if pa > cut:
                    yield (cut, pa)
                cut = max(cut, pb)
            if cut < b:
                yield (cut, b)
        lo = hi


def deadline(
    cal: Calendar, start: int, target: int, pauses: Sequence[Span] = (), at_open: bool = False
) -> int:
    """First instant where business time from ``start`` reaches ``target``.

    ``at_open``: the first open, unpaused such instant (the level is *passed* right after).
    """
    if target == 0 and not at_open:
        return start
    remaining = target
    for a, b in _pieces(cal, start, pauses):
        if b <= a:
            continue
        if remaining < b - a or (remaining == b - a and not at_open):
            return a + remaining
        remaining -= b - a
    raise AssertionError("unreachable")


def is_open_by_wall_clock(cal: Calendar, u: int) -> bool | None:
    """Open-ness of ``u`` judged from its local wall-clock reading alone.

    Returns None when the wall reading is ambiguous (autumn repeated hour), where wall
    clock alone cannot decide.
    """
    tz = ZoneInfo(cal.timezone)
    wall = _wall(tz, u)
    if wall.replace(tzinfo=tz, fold=0).utcoffset() != wall.replace(tzinfo=tz, fold=1).utcoffset():
        return None
    for back in (0, 1):
        day = wall.date() - timedelta(days=back)
        midnight = datetime(day.year, day.month, day.day)
        for a, b in day_rules(cal, day):
            if midnight + timedelta(seconds=a) <= wall < midnight + timedelta(seconds=b):
                return True
    return False
