"""Flow metrics: percentiles as numpy's linear default, weekly throughput that adds
up to the items finished in the window, cumulative flow by replaying moves."""

from __future__ import annotations

import numpy as np
import pytest

from servicegate.engines.flow import (
    DAY,
    WEEK,
    cumulative_flow,
    cycle_times_days,
    percentile,
    weekly_counts,
)


def test_percentile_textbook_values() -> None:
    # h = (n-1) q/100: for 1..10 the 85th is 1 + 0.85*9 = 8.65
    values = [float(x) for x in range(1, 11)]
    assert percentile(values, 50) == 5.5
    assert percentile(values, 85) == pytest.approx(8.65)
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_percentile_is_numpys_linear_on_random_data() -> None:
    rng = np.random.default_rng(17)
    for _ in range(200):
        values = list(rng.exponential(5.0, size=int(rng.integers(1, 60))))
        q = float(rng.uniform(0, 100))
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_weekly_counts_add_up_to_the_instants_in_the_window() -> None:
    rng = np.random.default_rng(3)
    for _ in range(100):
        instants = list(rng.uniform(-3 * WEEK, 10 * WEEK, size=int(rng.integers(0, 80))))
        counts = weekly_counts(instants, start=0.0, weeks=8)
        assert len(counts) == 8
        assert sum(counts) == sum(1 for t in instants if 0 <= t < 8 * WEEK)


def test_weekly_counts_are_half_open() -> None:
    assert weekly_counts([0.0, WEEK - 1, WEEK, 2 * WEEK], start=0.0, weeks=2) == [2, 1]


def test_cycle_times_in_days() -> None:
    assert cycle_times_days([0.0, DAY], [2 * DAY, DAY / 2]) == [2.0, 0.0]


def test_cumulative_flow_replays_the_moves() -> None:
    # item 1: col 0 at t=0, col 1 at t=10, col 2 at t=20; item 2: col 0 at t=15
    moves = [(1, 0.0, 0), (1, 10.0, 1), (1, 20.0, 2), (2, 15.0, 0)]
    counts = cumulative_flow(moves, [-1.0, 5.0, 15.0, 25.0], 3)
    assert counts.tolist() == [[0, 0, 0], [1, 0, 0], [1, 1, 0], [1, 0, 1]]
    assert cumulative_flow([], [1.0], 2).tolist() == [[0, 0]]
