"""The first day of a period is computed one way, and the SQL agrees with it."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from servicegate.measurement.periods import period_start, period_starts


def _naive(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


@pytest.mark.parametrize("period", ["week", "month", "quarter"])
def test_period_start_of_random_days(period: str) -> None:
    rng = np.random.default_rng(7)
    days = rng.integers(-3000, 30000, 500)
    starts = period_starts(days, period)
    for day, start in zip(days.tolist(), starts.tolist(), strict=True):
        d = date(1970, 1, 1) + timedelta(days=day)
        assert date(1970, 1, 1) + timedelta(days=start) == _naive(d, period)
        assert period_start(d, period) == _naive(d, period)
