"""Percentile promises and the Wilson score interval."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from servicegate.engines.attainment import (
    evaluate_percentile_promise,
    met_within,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Stat. Med. 17:857-872, Table II, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_published_values(
    successes: int, n: int, low: float, high: float
) -> None:
    got = wilson_interval(successes, n, 0.95)
    assert got == pytest.approx((low, high), abs=1e-4)


def test_wilson_interval_textbook_value() -> None:
    low, high = wilson_interval(90, 100)
    assert low == pytest.approx(0.8256, abs=1e-4)
    assert high == pytest.approx(0.9448, abs=1e-4)


def test_wilson_interval_agrees_with_scipy() -> None:
    """The one Wilson interval of the engines (attainment and feasibility) is scipy's."""
    rng = np.random.default_rng(18)
    for _ in range(200):
        n = int(rng.integers(1, 5_000))
        k = int(rng.integers(0, n + 1))
        confidence = float(rng.uniform(0.5, 0.999))
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
        assert wilson_interval(k, n, confidence) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_wilson_interval_edges() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(10, 10)[1] == 1.0
    narrow, wide = wilson_interval(50, 100, 0.8), wilson_interval(50, 100, 0.99)
    assert wide[0] < narrow[0] < 0.5 < narrow[1] < wide[1]
    with pytest.raises(ValueError):
        wilson_interval(5, 4)
    with pytest.raises(ValueError):
        wilson_interval(1, 4, confidence=1.0)


def test_95_percent_of_p2_incidents_within_4_business_hours() -> None:
    # given 1000 P2 incidents, 970 responded within 4 business hours
    business = np.array([3 * 3600] * 970 + [5 * 3600] * 30)
    # when
    result = evaluate_percentile_promise(met_within(business, 4 * 3600), level=0.95)
    # then
    assert (result.n, result.met, result.attainment) == (1000, 970, 0.97)
    assert result.kept and result.likely_kept and result.verdict == "likely_kept"
    assert result.ci_low > 0.95


def test_small_samples_are_undecided_and_clear_misses_are_missed() -> None:
    undecided = evaluate_percentile_promise([True] * 19 + [False], level=0.95)
    assert undecided.kept and not undecided.likely_kept and undecided.verdict == "undecided"
    missed = evaluate_percentile_promise([True] * 80 + [False] * 20, level=0.95)
    assert not missed.kept and missed.verdict == "likely_missed"


def test_no_data() -> None:
    result = evaluate_percentile_promise(np.zeros(0, dtype=bool), level=0.9)
    assert result.verdict == "no_data" and not result.kept and math.isnan(result.attainment)
    with pytest.raises(ValueError):
        evaluate_percentile_promise([True], level=95)
