"""Vectorised business time: elapsed business seconds and deadlines, with pauses.

All instants are UTC epoch seconds in ``int64`` arrays; results are whole seconds.

With ``C(t)`` the cumulative open time of the calendar (see :class:`OpenIntervals`):

* business seconds of a row = ``C(end) - C(start)`` minus the open time inside the
  union of the row's pauses clipped to ``[start, end)``;
* deadline of a row = the earliest ``d >= start`` at which the business time counted from
  ``start`` (not counting open time inside the row's pauses) reaches the target; a target of
  0 gives ``start`` itself.

Pauses are flat arrays ``pause_starts``, ``pause_ends`` and ``pause_rows`` (row index of
each pause); a row may have any number, possibly overlapping — their union counts.

Given a :class:`Calendar`, the functions compile it over whole UTC years around the data
(cached) and, for deadlines, extend the span until every deadline is found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from servicegate.engines.calendars import Calendar, compile_calendar
from servicegate.engines.open_intervals import (
    IntArray,
    OpenIntervals,
    OutsideSpanError,
    utc_year,
    utc_year_start,
)

__all__ = [
    "Pauses",
    "business_seconds",
    "deadlines",
    "deadlines_merged",
    "merge_pauses",
    "open_intervals_for",
]

CHUNK = 1 << 20
_MAX_EXTRA_YEARS = 256


def open_intervals_for(
    cal: Calendar | OpenIntervals, lo: int, hi: int, *, extra_years: int = 0
) -> OpenIntervals:
    """Open intervals covering ``[lo, hi]``: ``cal`` itself, or ``cal`` compiled over whole years.

    The span runs from 1 January of the year before ``lo`` to 1 January two years after
    ``hi`` (plus ``extra_years``), so repeated calls hit the compile cache.
    """
    if isinstance(cal, OpenIntervals):
        return cal
    first = max(utc_year(lo) - 1, 1)
    last = min(utc_year(hi) + 2 + extra_years, 9999)
    return compile_calendar(cal, utc_year_start(first), utc_year_start(last))


@dataclass(frozen=True)
class Pauses:
    """Pauses merged per row: sorted by ``(row, start)``, disjoint, non-empty.

    ``rows`` is non-decreasing; touching pauses are joined.
    """

    rows: IntArray
    starts: IntArray
    ends: IntArray


def _as_pauses(
    n: int,
    pause_starts: npt.ArrayLike | None,
    pause_ends: npt.ArrayLike | None,
    pause_rows: npt.ArrayLike | None,
) -> tuple[IntArray, IntArray, IntArray] | None:
    """Validated pause arrays, or None when there are none."""
    given = [x is not None for x in (pause_starts, pause_ends, pause_rows)]
    if not any(given):
        return None
    if not all(given):
        raise ValueError("Give pause_starts, pause_ends and pause_rows together.")
    ps = np.asarray(pause_starts, dtype=np.int64).ravel()
    pe = np.asarray(pause_ends, dtype=np.int64).ravel()
    pr = np.asarray(pause_rows, dtype=np.int64).ravel()
    if not ps.size == pe.size == pr.size:
        raise ValueError("pause_starts, pause_ends and pause_rows must have the same length.")
    if np.any(pe < ps):
        raise ValueError("A pause ends before it starts; fix the pause data.")
    if ps.size and (int(pr.min()) < 0 or int(pr.max()) >= n):
        raise ValueError(f"pause_rows must index rows 0..{n - 1}.")
    return (ps, pe, pr) if ps.size else None


def merge_pauses(
    rows: IntArray, starts: IntArray, ends: IntArray, lo: IntArray, hi: IntArray | None
) -> Pauses:
    """Clip each pause to ``[lo[row], hi[row]]`` (``hi`` None: no upper clip), drop empty
    ones, and merge overlapping or touching pauses of the same row into their union.

    Rows are separated by adding ``row * width`` to every time (``width`` exceeds the time
    range), so one running maximum merges all rows at once.
    """
    s = np.maximum(starts, lo[rows])
    e = ends if hi is None else np.minimum(ends, hi[rows])
    keep = e > s
    rows, s, e = rows[keep], s[keep], e[keep]
    if rows.size == 0:
        return Pauses(rows, s, e)
    base = int(s.min())
    width = int(e.max()) - base + 1
    if rows.size and int(rows.max()) * width >= 2**62:
        raise ValueError("Too many rows or too long a time range; process the data in chunks.")
    key_s = (s - base) + rows * width
    key_e = (e - base) + rows * width
    order = np.argsort(key_s, kind="stable")
    key_s, key_e, rows = key_s[order], key_e[order], rows[order]
    reach = np.maximum.accumulate(key_e)
    new = np.ones(rows.size, dtype=bool)
    new[1:] = key_s[1:] > reach[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, rows.size - 1)
    out_rows = rows[first]
    offset = out_rows * width - base
    return Pauses(out_rows, key_s[first] - offset, reach[last] - offset)


def _paused_open_time(tl: OpenIntervals, pauses: Pauses, n: int) -> IntArray:
    """Per row: open seconds inside the row's (merged) pauses."""
    out = np.zeros(n, dtype=np.int64)
    if pauses.rows.size == 0:
        return out
    lost = tl.cumulative(pauses.ends) - tl.cumulative(pauses.starts)
    change = np.flatnonzero(np.diff(pauses.rows, prepend=-1))
    out[pauses.rows[change]] = np.add.reduceat(lost, change)
    return out


def business_seconds(
    cal_or_intervals: Calendar | OpenIntervals,
    starts: npt.ArrayLike,
    ends: npt.ArrayLike,
    *,
    pause_starts: npt.ArrayLike | None = None,
    pause_ends: npt.ArrayLike | None = None,
    pause_rows: npt.ArrayLike | None = None,
) -> IntArray:
    """Business seconds in ``[start, end)`` per row, minus open time inside the row's pauses.

    Units: seconds. Edge cases: ``start == end`` gives 0; pauses are clipped to their row's
    span (a pause outside it has no effect); overlapping pauses count once. Raises
    ``ValueError`` if an end precedes its start.
    """
    s = np.asarray(starts, dtype=np.int64).ravel()
    e = np.asarray(ends, dtype=np.int64).ravel()
    if s.shape != e.shape:
        raise ValueError("starts and ends must have the same length.")
    if s.size == 0:
        return np.zeros(0, dtype=np.int64)
    bad = np.flatnonzero(e < s)
    if bad.size:
        raise ValueError(f"Row {int(bad[0])} ends before it starts; fix its times.")
    pauses = _as_pauses(s.size, pause_starts, pause_ends, pause_rows)
    tl = open_intervals_for(cal_or_intervals, int(s.min()), int(e.max()))
    out = np.empty(s.size, dtype=np.int64)
    for lo in range(0, s.size, CHUNK):
        part = slice(lo, lo + CHUNK)
        out[part] = tl.business_seconds(s[part], e[part])
    if pauses is not None:
        merged = merge_pauses(pauses[2], pauses[0], pauses[1], s, e)
        out -= _paused_open_time(tl, merged, s.size)
    return out


def deadlines(
    cal_or_intervals: Calendar | OpenIntervals,
    starts: npt.ArrayLike,
    targets: npt.ArrayLike,
    *,
    pause_starts: npt.ArrayLike | None = None,
    pause_ends: npt.ArrayLike | None = None,
    pause_rows: npt.ArrayLike | None = None,
    at_open: bool = False,
) -> IntArray:
    """Earliest instant at which business time from ``start`` reaches ``target`` seconds.

    Open time inside a row's pauses (clipped to start at ``start``) does not count. A target
    of 0 gives ``start``. With ``at_open`` the instant is the earliest *open, unpaused* one
    — strictly inside an open stretch or at its beginning, never at a closing edge; this is
    the instant a warning fires or after which a clock is breached.

    Raises ``ValueError`` for negative targets, or if the calendar has no open time for
    centuries after the start (given a :class:`OpenIntervals`: beyond its span).
    """
    s = np.asarray(starts, dtype=np.int64).ravel()
    x = np.broadcast_to(np.asarray(targets, dtype=np.int64), s.shape).ravel()
    if s.size == 0:
        return np.zeros(0, dtype=np.int64)
    if np.any(x < 0):
        raise ValueError("Targets must not be negative.")
    pauses = _as_pauses(s.size, pause_starts, pause_ends, pause_rows)
    merged = None if pauses is None else merge_pauses(pauses[2], pauses[0], pauses[1], s, None)
    return deadlines_merged(cal_or_intervals, s, x, merged, at_open=at_open)


def deadlines_merged(
    cal_or_intervals: Calendar | OpenIntervals,
    starts: IntArray,
    targets: IntArray,
    merged: Pauses | None,
    *,
    at_open: bool = False,
) -> IntArray:
    """:func:`deadlines` for pauses already merged by :func:`merge_pauses` (lower clip at
    each row's start, no upper clip), so callers asking for several targets merge once."""
    if starts.size == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = int(starts.min()), int(starts.max())
    if merged is not None and merged.ends.size:
        hi = max(hi, int(merged.ends.max()))
    extra = 0
    while True:
        tl = open_intervals_for(cal_or_intervals, lo, hi, extra_years=extra)
        try:
            return _deadlines_on(tl, starts, targets, merged, at_open)
        except OutsideSpanError:
            if isinstance(cal_or_intervals, OpenIntervals):
                raise
            if extra >= _MAX_EXTRA_YEARS:
                raise ValueError(
                    f"No deadline is reached within {extra} years; the calendar has (almost) "
                    "no open time — check its week, holidays and special dates."
                ) from None
            extra = max(2 * extra, 4)


def _deadlines_on(
    tl: OpenIntervals, s: IntArray, x: IntArray, merged: Pauses | None, at_open: bool
) -> IntArray:
    out = np.empty(s.size, dtype=np.int64)
    for lo in range(0, s.size, CHUNK):
        part = slice(lo, lo + CHUNK)
        out[part] = tl.add_business_seconds(s[part], x[part], at_open=at_open)
    if merged is not None and merged.rows.size:
        rows = merged.rows[np.flatnonzero(np.diff(merged.rows, prepend=-1))]  # sorted already
        out[rows] = _paused_deadlines(tl, s, x, merged, at_open)[rows]
    return out


def _paused_deadlines(
    tl: OpenIntervals, s: IntArray, x: IntArray, p: Pauses, at_open: bool
) -> IntArray:
    """Deadlines for rows with pauses (values for other rows are meaningless).

    Each row's unpaused time is a sequence of gaps ``[s, p1s) [p1e, p2s) … [pme, ∞)``.
    With ``A`` the cumulative open time over the finite gaps of all rows (row by row), the
    deadline lies in the first gap whose cumulative value reaches ``base + x`` (exceeds it
    for ``at_open``), found by one global ``searchsorted``; if no finite gap does, it lies
    in the row's last, open-ended gap.
    """
    first_of_row = np.flatnonzero(np.diff(p.rows, prepend=-1))
    is_first = np.zeros(p.rows.size, dtype=bool)
    is_first[first_of_row] = True
    gap_start = np.where(is_first, s[p.rows], np.roll(p.ends, 1))
    gap_end = p.starts
    c_start = tl.cumulative(gap_start)
    avail = tl.cumulative(gap_end) - c_start
    cum = np.cumsum(avail)
    row_ids = p.rows[first_of_row]
    last_of_row = np.append(first_of_row[1:] - 1, p.rows.size - 1)
    base = cum[first_of_row] - avail[first_of_row]
    goal = base + x[row_ids]
    idx = np.searchsorted(cum, goal, side="right" if at_open else "left")
    idx = np.maximum(idx, first_of_row)
    in_finite = idx <= last_of_row
    gap = np.minimum(idx, last_of_row)
    # Finite gap: start there with the remaining target.
    g_start = np.where(in_finite, gap_start[gap], p.ends[last_of_row])
    g_level = np.where(in_finite, c_start[gap], tl.cumulative(p.ends[last_of_row]))
    done = np.where(in_finite, cum[gap] - avail[gap], cum[last_of_row])
    remaining = goal - done
    result = np.maximum(tl.invert(g_level + remaining, at_open=at_open), g_start)
    out = np.zeros(s.size, dtype=np.int64)
    out[row_ids] = result
    return out
