"""Hypothesis properties of business time over random calendars."""

from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicegate.engines import sla
from servicegate.engines.calendars import Calendar, OpenIntervals, compile_calendar
from servicegate.engines.tests.calendars_fixtures import at

ZONES = ("Europe/Berlin", "America/New_York", "UTC", "Australia/Lord_Howe", "Asia/Kolkata")
LO, HI = at("2026-01-01T00:00", "UTC"), at("2027-01-01T00:00", "UTC")
QUARTER_HOUR = 900


@st.composite
def day_intervals(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    """0-3 non-overlapping intervals; the last may run past midnight."""
    cuts = sorted(draw(st.sets(st.integers(0, 96), max_size=6)))
    pairs = [
        (a * QUARTER_HOUR, b * QUARTER_HOUR) for a, b in zip(cuts[::2], cuts[1::2], strict=False)
    ]
    overnight: bool = draw(st.booleans())
    if pairs and overnight and pairs[-1][1] < 96 * QUARTER_HOUR:
        start = pairs[-1][1] + QUARTER_HOUR
        if start < 96 * QUARTER_HOUR:
            pairs.append((start, 96 * QUARTER_HOUR + draw(st.integers(1, 40)) * QUARTER_HOUR))
    return tuple(pairs)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    week = tuple(draw(day_intervals()) for _ in range(7))
    if not any(week):
        week = (((8 * 3600, 17 * 3600),),) * 7
    return Calendar(draw(st.sampled_from(ZONES)), week)


@cache
def timeline(cal: Calendar) -> OpenIntervals:
    return compile_calendar(cal, LO - 86_400 * 10, HI + 86_400 * 10)


instants = st.integers(LO, HI)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def bs(tl: OpenIntervals, a: int, b: int) -> int:
    return int(tl.business_seconds([a], [b])[0])


@SETTINGS
@given(calendars(), st.lists(instants, min_size=3, max_size=3))
def test_business_time_is_additive(cal: Calendar, times: list[int]) -> None:
    a, b, c = sorted(times)
    tl = timeline(cal)
    assert bs(tl, a, c) == bs(tl, a, b) + bs(tl, b, c)


@SETTINGS
@given(calendars(), st.lists(instants, min_size=2, max_size=2))
def test_business_time_never_exceeds_wall_time_and_is_monotone(
    cal: Calendar, times: list[int]
) -> None:
    a, b = sorted(times)
    tl = timeline(cal)
    assert 0 <= bs(tl, a, b) <= b - a
    assert bs(tl, a, b) <= bs(tl, a, b + 3600)
    assert bs(tl, min(a + 3600, b), b) <= bs(tl, a, b)


@SETTINGS
@given(calendars(), st.lists(instants, min_size=2, max_size=2))
def test_deadline_of_elapsed_time_is_the_earliest_instant(cal: Calendar, times: list[int]) -> None:
    s, e = sorted(times)
    tl = timeline(cal)
    target = bs(tl, s, e)
    d = int(sla.deadlines(tl, [s], [target])[0])
    assert s <= d <= e
    assert bs(tl, s, d) == target
    assert d == s or bs(tl, s, d - 1) < target


@SETTINGS
@given(calendars(), instants, st.integers(0, 40 * 3600))
def test_open_deadline_is_inside_an_open_interval(cal: Calendar, s: int, target: int) -> None:
    # Given the calendar (not a fixed span), the engine extends its span as far as needed.
    d = int(sla.deadlines(cal, [s], [target], at_open=True)[0])
    tl = sla.open_intervals_for(cal, s, d + 1)
    assert bool(tl.is_open([d])[0])
    assert bs(tl, s, d) == target
    assert bs(tl, s, d + 1) == target + 1


@SETTINGS
@given(
    calendars(),
    st.lists(instants, min_size=2, max_size=2),
    st.lists(st.tuples(instants, st.integers(0, 5 * 86_400)), max_size=4),
)
def test_pauses_never_increase_business_time(
    cal: Calendar, times: list[int], pauses: list[tuple[int, int]]
) -> None:
    s, e = sorted(times)
    tl = timeline(cal)
    ps = np.array([p for p, _ in pauses], dtype=np.int64)
    pe = ps + np.array([d for _, d in pauses], dtype=np.int64)
    rows = np.zeros(len(pauses), dtype=np.int64)
    paused = sla.business_seconds(tl, [s], [e], pause_starts=ps, pause_ends=pe, pause_rows=rows)
    assert 0 <= paused[0] <= bs(tl, s, e)
    # The deadline of the paused business time, with the same pauses, is never later than e.
    d = sla.deadlines(tl, [s], paused, pause_starts=ps, pause_ends=pe, pause_rows=rows)
    assert s <= d[0] <= e
