"""Business time on the UTC axis: time-zone arithmetic and a calendar's open intervals.

An :class:`OpenIntervals` holds sorted, disjoint open intervals in UTC epoch seconds plus
cumulative open seconds, on which business time is a pair of ``np.searchsorted``
calls (or a grid lookup). :func:`servicegate.engines.calendars.compile_calendar` builds
one from a :class:`~servicegate.engines.calendars.Calendar`.

Local wall time → UTC (:func:`local_to_epoch`): an ambiguous time (autumn fall-back)
takes its first occurrence (``fold=0``); a nonexistent time (spring-forward gap) maps
forward to the transition instant, i.e. the first instant whose wall clock reads at
least that time. This mapping is monotone, so an interval never turns negative across
a transition.

Pure Python/numpy; never imports Django.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

__all__ = [
    "DAY",
    "BoolArray",
    "IntArray",
    "OpenIntervals",
    "OutsideSpanError",
    "epoch_to_local",
    "local_date",
    "local_to_epoch",
    "merge_intervals",
    "utc_year",
    "utc_year_start",
]

DAY = 86_400
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_EPOCH_NAIVE = datetime(1970, 1, 1)


class OutsideSpanError(ValueError):
    """A query or result falls outside the span a :class:`OpenIntervals` was compiled for."""


# ------------------------------------------------------------------ time-zone arithmetic


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _offset_at_wall(tz: ZoneInfo, wall: int) -> int:
    """UTC offset (s) zoneinfo assigns to naive wall time ``wall`` with fold=0."""
    off = (_EPOCH_NAIVE + timedelta(seconds=wall)).replace(tzinfo=tz).utcoffset()
    assert off is not None
    return int(off.total_seconds())


def _offset_at_instant(tz: ZoneInfo, t: int) -> int:
    off = datetime.fromtimestamp(t, tz).utcoffset()
    assert off is not None
    return int(off.total_seconds())


def _wall_of(tz: ZoneInfo, t: int) -> int:
    return t + _offset_at_instant(tz, t)


def _wall_to_epoch_exact(tz: ZoneInfo, wall: int) -> int:
    """Earliest instant whose wall clock reads ``wall`` — or, in a gap, the transition."""
    naive = (_EPOCH_NAIVE + timedelta(seconds=wall)).replace(tzinfo=tz)
    offsets = {naive.utcoffset(), naive.replace(fold=1).utcoffset()}
    candidates = sorted(wall - int(o.total_seconds()) for o in offsets if o is not None)
    valid = [u for u in candidates if _wall_of(tz, u) == wall]
    if valid:
        return valid[0]  # ambiguous: fold=0, the first occurrence
    lo, hi = candidates[0], candidates[-1]  # gap: the transition lies in (lo, hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _wall_of(tz, mid) > wall:
            hi = mid
        else:
            lo = mid
    return hi


def _day_offsets(tz: ZoneInfo, days: IntArray) -> tuple[IntArray, BoolArray]:
    """Per local day number: its UTC offset and whether a transition falls inside it."""
    offsets = np.empty(days.size, dtype=np.int64)
    irregular = np.zeros(days.size, dtype=bool)
    for i, d in enumerate(days.tolist()):
        probes = [_offset_at_wall(tz, d * DAY + s) for s in (0, DAY // 2, DAY)]
        offsets[i] = probes[0]
        irregular[i] = len(set(probes)) > 1
    return offsets, irregular


def local_to_epoch(timezone: str, walls: npt.ArrayLike) -> IntArray:
    """UTC epoch seconds for naive wall times (seconds since 1970-01-01 00:00 *local*).

    Vectorised: one zoneinfo lookup per distinct local day; days that contain a
    transition are converted exactly per value (fold=0 for ambiguous times, the
    transition instant for nonexistent ones).
    """
    tz = _zone(timezone)
    walls = np.asarray(walls, dtype=np.int64)
    days, inverse = np.unique(walls // DAY, return_inverse=True)
    offsets, irregular = _day_offsets(tz, days)
    out = walls - offsets[inverse]
    slow = np.flatnonzero(irregular[inverse])
    for i in slow.tolist():
        out[i] = _wall_to_epoch_exact(tz, int(walls[i]))
    return out


def epoch_to_local(timezone: str, epochs: npt.ArrayLike) -> tuple[IntArray, IntArray]:
    """``(walls, offsets)``: local wall seconds and UTC offsets for UTC epoch seconds."""
    tz = _zone(timezone)
    epochs = np.asarray(epochs, dtype=np.int64)
    days, inverse = np.unique(epochs // DAY, return_inverse=True)
    offsets = np.empty(days.size, dtype=np.int64)
    irregular = np.zeros(days.size, dtype=bool)
    for i, d in enumerate(days.tolist()):
        probes = {_offset_at_instant(tz, d * DAY + s) for s in (0, DAY // 2, DAY - 1)}
        offsets[i] = min(probes)
        irregular[i] = len(probes) > 1
    out = offsets[inverse]
    for i in np.flatnonzero(irregular[inverse]).tolist():
        out[i] = _offset_at_instant(tz, int(epochs[i]))
    return epochs + out, out


def local_date(timezone: str, t: int) -> date:
    """The local calendar date in ``timezone`` of UTC epoch second ``t``."""
    return datetime.fromtimestamp(t, _zone(timezone)).date()


# ------------------------------------------------------------------- open intervals


def merge_intervals(opens: IntArray, closes: IntArray) -> tuple[IntArray, IntArray]:
    """Union of intervals: sorted, disjoint, touching intervals joined; empty ones dropped."""
    keep = closes > opens
    opens, closes = opens[keep], closes[keep]
    order = np.argsort(opens, kind="stable")
    opens, closes = opens[order], closes[order]
    if opens.size == 0:
        return opens, closes
    reach = np.maximum.accumulate(closes)
    new = np.empty(opens.size, dtype=bool)
    new[0] = True
    new[1:] = opens[1:] > reach[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, opens.size - 1)
    return opens[first], reach[last]


class OpenIntervals:
    """Open intervals ``[opens[i], closes[i])`` (UTC epoch s) over ``[span_start, span_end]``.

    ``cum[k]`` is the open time (s) of the first ``k`` intervals (``cum[0] = 0``, length
    n+1). The cumulative open time before ``t`` is
    ``C(t) = cum[k] - max(0, closes[k-1] - t)`` with ``k`` = number of opens ≤ t; business
    seconds are ``C(end) - C(start)`` and deadlines invert ``C``.
    """

    def __init__(
        self,
        opens: IntArray,
        closes: IntArray,
        span_start: int,
        span_end: int,
        timezone: str = "UTC",
    ):
        self.opens = np.ascontiguousarray(opens, dtype=np.int64)
        self.closes = np.ascontiguousarray(closes, dtype=np.int64)
        self.span_start = int(span_start)
        self.span_end = int(span_end)
        self.timezone = timezone
        self.cum = np.concatenate([[0], np.cumsum(self.closes - self.opens)]).astype(np.int64)
        # closes[k-1] for k >= 1; span_start (≤ any valid t) for k = 0 so the correction is 0.
        self._close_before = np.concatenate([[self.span_start], self.closes]).astype(np.int64)
        self._opens_padded = np.concatenate([self.opens, [self.span_end + 1]]).astype(np.int64)
        for arr in (self.opens, self.closes, self.cum):
            arr.setflags(write=False)
        self._build_grid()

    def __repr__(self) -> str:
        return (
            f"OpenIntervals({self.timezone}, {self.opens.size} intervals, "
            f"[{self.span_start}, {self.span_end}], open {int(self.cum[-1])} s)"
        )

    def check_span(self, t: IntArray, what: str = "time") -> None:
        """Raise ``ValueError`` unless every value lies inside the compiled span."""
        if t.size and (int(t.min()) < self.span_start or int(t.max()) > self.span_end):
            raise OutsideSpanError(
                f"A {what} lies outside the compiled span [{self.span_start}, {self.span_end}]; "
                "compile the calendar over a larger span."
            )

    def _build_grid(self) -> None:
        """Lookup table replacing a binary search: ``grid[c]`` = opens ≤ start of cell ``c``.

        Cells are ``2**shift`` seconds; a query adds at most ``_grid_steps`` corrections
        (the most opens any cell contains). Falls back to ``np.searchsorted`` when cells
        would hold many opens (very fragmented calendars).
        """
        span = self.span_end - self.span_start + 1
        shift = 11
        while (span >> shift) > (1 << 22):
            shift += 1
        cells = np.arange((span >> shift) + 2, dtype=np.int64)
        grid = np.searchsorted(self.opens, self.span_start + (cells << shift), side="right")
        steps = int(np.max(np.diff(grid), initial=0))
        self._grid_shift = shift
        self._grid = grid.astype(np.int32 if self.opens.size < 2**31 - 1 else np.int64)
        self._grid_steps = steps if steps <= 3 else -1

    def count_opens(self, t: IntArray) -> IntArray:
        """Number of intervals that opened at or before each ``t`` (``searchsorted`` right)."""
        if self._grid_steps < 0:
            return np.searchsorted(self.opens, t, side="right").astype(np.int64)
        k: IntArray = self._grid[(t - self.span_start) >> self._grid_shift].astype(np.int64)
        for _ in range(self._grid_steps):
            k += self._opens_padded[k] <= t
        return k

    def cumulative(self, t: npt.ArrayLike) -> IntArray:
        """``C(t)``: open seconds in ``[span_start, t)``. No span check (callers do it)."""
        t = np.asarray(t, dtype=np.int64)
        k = self.count_opens(t)
        result: IntArray = self.cum[k] - np.maximum(self._close_before[k] - t, 0)
        return result

    def business_seconds(self, starts: npt.ArrayLike, ends: npt.ArrayLike) -> IntArray:
        """Open seconds in ``[start, end)``; raises ``ValueError`` if an end precedes its start."""
        starts = np.asarray(starts, dtype=np.int64)
        ends = np.asarray(ends, dtype=np.int64)
        if np.any(ends < starts):
            raise ValueError("An end lies before its start; swap them or fix the data.")
        self.check_span(starts, "start")
        self.check_span(ends, "end")
        return self.cumulative(ends) - self.cumulative(starts)

    def invert(self, levels: npt.ArrayLike, *, at_open: bool = False) -> IntArray:
        """Earliest ``t`` with ``C(t) >= level``.

        With ``at_open`` the earliest *open* such ``t`` (never a closing edge: a level reached
        exactly at a close maps to the next opening). Raises ``ValueError`` if the level is
        beyond the compiled span.
        """
        lv: IntArray = np.asarray(levels, dtype=np.int64)
        j = np.searchsorted(self.cum, lv, side="right" if at_open else "left")
        if np.any(j >= self.cum.size):
            raise OutsideSpanError(
                "A deadline lies beyond the compiled span; compile the calendar over a larger span."
            )
        if at_open:
            k = np.maximum(j - 1, 0)
            found: IntArray = self.opens[k] + (lv - self.cum[k])
            return found
        k = np.maximum(j, 1)
        found = self.closes[k - 1] - (self.cum[k] - lv)
        return np.where(j == 0, np.int64(self.span_start), found)

    def add_business_seconds(
        self, starts: npt.ArrayLike, seconds: npt.ArrayLike, *, at_open: bool = False
    ) -> IntArray:
        """Deadline: earliest ``d >= start`` with ``C(d) - C(start) >= seconds``; 0 → start."""
        starts = np.asarray(starts, dtype=np.int64)
        seconds = np.asarray(seconds, dtype=np.int64)
        if np.any(seconds < 0):
            raise ValueError("Business seconds to add must not be negative.")
        self.check_span(starts, "start")
        result: IntArray = np.maximum(
            self.invert(self.cumulative(starts) + seconds, at_open=at_open), starts
        )
        return result

    def is_open(self, t: npt.ArrayLike) -> BoolArray:
        """Whether each instant lies inside an open interval ``[open, close)``."""
        t = np.asarray(t, dtype=np.int64)
        self.check_span(t)
        k = self.count_opens(t)
        return (k > 0) & (self._close_before[k] > t)

    def next_open(self, t: npt.ArrayLike) -> IntArray:
        """``t`` itself if open, else the next opening; ``ValueError`` if none in the span."""
        t = np.asarray(t, dtype=np.int64)
        self.check_span(t)
        k = self.count_opens(t)
        inside = (k > 0) & (self._close_before[k] > t)
        if np.any(~inside & (k >= self.opens.size)):
            raise OutsideSpanError(
                "No opening follows inside the compiled span; compile a larger span."
            )
        return np.where(inside, t, self._opens_padded[np.minimum(k, self.opens.size)])


def utc_year_start(year: int) -> int:
    """Epoch seconds of 1 January ``year`` 00:00 UTC."""
    return int(datetime(year, 1, 1, tzinfo=UTC).timestamp())


def utc_year(t: int) -> int:
    """Calendar year (UTC) of epoch second ``t``."""
    return (_EPOCH_NAIVE + timedelta(seconds=int(t))).year
