"""The vectorised engine agrees to the second with a slow day-by-day reference.

100 000+ seeded random cases per run, concentrated around DST transitions, with
overnight intervals, holidays, special days, pauses (overlapping, crossing closed hours,
zero-length, partly outside the row) and zero-length spans.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from servicegate.engines import sla
from servicegate.engines.calendars import Calendar, compile_calendar
from servicegate.engines.tests import reference_sla as ref
from servicegate.engines.tests.calendars_fixtures import at, berlin, new_york

DAY = 86_400

CASES = {
    "berlin": (
        berlin,
        "Europe/Berlin",
        ["2026-03-29T02:00", "2026-10-25T02:00", "2026-12-24T12:00", "2027-03-28T02:00"],
    ),
    "new_york": (
        new_york,
        "America/New_York",
        ["2026-03-08T02:00", "2026-11-01T01:00", "2026-11-26T12:00", "2027-03-14T02:00"],
    ),
}


def _random_rows(
    rng: np.random.Generator, n: int, zone: str, hot: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Starts near DST transitions/holidays (70 %) or anywhere in 2026-27; mixed lengths."""
    hot_s = np.array([at(h, zone) for h in hot])
    near = hot_s[rng.integers(0, hot_s.size, n)] + rng.integers(-3 * DAY, 3 * DAY, n)
    anywhere = rng.integers(at("2026-01-01T00:00", zone), at("2027-06-01T00:00", zone), n)
    starts = np.where(rng.random(n) < 0.7, near, anywhere)
    scale = rng.choice([0, 60, 3_600, DAY, 10 * DAY], size=n, p=[0.1, 0.15, 0.25, 0.3, 0.2])
    ends = starts + (rng.random(n) * scale).astype(np.int64)
    return starts, ends


def _random_pauses(
    rng: np.random.Generator, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0-3 pauses per row; some overlap, some are empty, some stick out of the row."""
    counts = rng.integers(0, 4, starts.size)
    rows = np.repeat(np.arange(starts.size), counts)
    span = ends[rows] - starts[rows]
    p_start = starts[rows] + (rng.random(rows.size) * (span + 7200)).astype(np.int64) - 3600
    p_len = (rng.random(rows.size) * rng.choice([0, 600, 4 * 3600, 2 * DAY], rows.size)).astype(
        np.int64
    )
    return rows, p_start, p_start + p_len


def _by_row(rows: np.ndarray, s: np.ndarray, e: np.ndarray) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r, a, b in zip(rows.tolist(), s.tolist(), e.tolist(), strict=True):
        out[r].append((a, b))
    return out


def _calendar(name: str) -> tuple[Calendar, str, list[str]]:
    make, zone, hot = CASES[name]
    return make(), zone, hot


@pytest.mark.parametrize("name", sorted(CASES))
def test_business_seconds_match_reference(name: str) -> None:
    """Business seconds with pauses agree with the reference on 30 000 rows per calendar."""
    # given
    cal, zone, hot = _calendar(name)
    rng = np.random.default_rng(20260329)
    starts, ends = _random_rows(rng, 30_000, zone, hot)
    rows, ps, pe = _random_pauses(rng, starts, ends)
    # when
    got = sla.business_seconds(cal, starts, ends, pause_starts=ps, pause_ends=pe, pause_rows=rows)
    # then
    pauses = _by_row(rows, ps, pe)
    for i in range(starts.size):
        want = ref.business_seconds(cal, int(starts[i]), int(ends[i]), pauses.get(i, ()))
        assert got[i] == want, (i, int(starts[i]), int(ends[i]), pauses.get(i))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("at_open", [False, True])
def test_deadlines_match_reference(name: str, at_open: bool) -> None:
    """Deadlines with pauses (closing-edge and open conventions) agree on 12 500 rows each."""
    cal, zone, hot = _calendar(name)
    rng = np.random.default_rng(1014 + at_open)
    starts, ends = _random_rows(rng, 12_500, zone, hot)
    targets = ends - starts
    targets[::5] = 0
    rows, ps, pe = _random_pauses(rng, starts, ends)
    got = sla.deadlines(
        cal, starts, targets, pause_starts=ps, pause_ends=pe, pause_rows=rows, at_open=at_open
    )
    pauses = _by_row(rows, ps, pe)
    for i in range(starts.size):
        want = ref.deadline(cal, int(starts[i]), int(targets[i]), pauses.get(i, ()), at_open)
        assert got[i] == want, (i, int(starts[i]), int(targets[i]), pauses.get(i))


@pytest.mark.parametrize("name", sorted(CASES))
def test_open_instants_match_the_wall_clock(name: str) -> None:
    """``is_open`` agrees with reading the local wall clock (ambiguous readings skipped)."""
    cal, zone, hot = _calendar(name)
    rng = np.random.default_rng(7)
    instants, _ = _random_rows(rng, 20_000, zone, hot)
    timeline = compile_calendar(cal, at("2025-12-01T00:00", zone), at("2027-08-01T00:00", zone))
    got = timeline.is_open(instants)
    checked = 0
    for i, u in enumerate(instants.tolist()):
        want = ref.is_open_by_wall_clock(cal, u)
        if want is not None:
            assert bool(got[i]) == want, (u, want)
            checked += 1
    assert checked > 19_000
