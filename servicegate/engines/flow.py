"""Flow metrics of a kanban board: throughput, cycle-time percentiles, cumulative flow.

Instants are POSIX seconds (floats); durations are returned in days. Pure numpy.

* Throughput: the number of items finished per week, the weeks being the half-open
  intervals ``[start + 7 d·i, start + 7 d·(i+1))``.
* Cycle time: ``done - started`` of each finished item, in days; its percentiles are
  numpy's default ("linear", Hyndman & Fan type 7): for sorted values ``x`` of length
  ``n`` the ``q``-th percentile is ``x[k] + (h - k)(x[k+1] - x[k])`` with
  ``h = (n - 1)·q/100`` and ``k = floor(h)``.
* Cumulative flow: the number of items in each column at each sample instant, read
  by replaying every item's moves (an item is in the column of its last move at or
  before the instant). Anderson, *Kanban* (2010), ch. 12; Vacanti, *Actionable
  Agile Metrics for Predictability* (2015), ch. 4-5.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

DAY = 86400.0
WEEK = 7 * DAY


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) by linear interpolation; None for no values."""
    if len(values) == 0:
        return None
    if not 0 <= q <= 100:
        raise ValueError("q must lie between 0 and 100")
    return float(np.percentile(np.asarray(values, dtype=float), q))


def weekly_counts(instants: Sequence[float], *, start: float, weeks: int) -> list[int]:
    """How many ``instants`` fall in each of ``weeks`` weeks from ``start``; instants
    outside the window are not counted."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    values = np.asarray(instants, dtype=float)
    edges = start + WEEK * np.arange(weeks + 1)
    counts, _edges = np.histogram(values[(values >= start) & (values < edges[-1])], bins=edges)
    return [int(c) for c in counts]


def cycle_times_days(started: Sequence[float], done: Sequence[float]) -> list[float]:
    """``done - started`` per item in days (never negative)."""
    s = np.asarray(started, dtype=float)
    d = np.asarray(done, dtype=float)
    return [float(x) for x in np.maximum(d - s, 0.0) / DAY]


def cumulative_flow(
    moves: Sequence[tuple[int, float, int]], samples: Sequence[float], columns: int
) -> NDArray[np.int64]:
    """Items per column at each sample: ``counts[i, c]`` for ``samples[i]``.

    ``moves`` are ``(item, at, column index)``; an item is counted from its first move
    on, in the column of its latest move at or before the sample.
    """
    counts = np.zeros((len(samples), columns), dtype=np.int64)
    if not moves or not len(samples):
        return counts
    sample_arr = np.asarray(samples, dtype=float)
    by_item: dict[int, list[tuple[float, int]]] = {}
    for item, at, column in moves:
        by_item.setdefault(item, []).append((at, column))
    for history in by_item.values():
        history.sort()
        times = np.array([h[0] for h in history])
        cols = np.array([h[1] for h in history])
        # index of the latest move at or before each sample (-1: not on the board yet)
        idx = np.searchsorted(times, sample_arr, side="right") - 1
        present = idx >= 0
        np.add.at(counts, (np.nonzero(present)[0], cols[idx[present]]), 1)
    return counts
