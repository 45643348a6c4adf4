"""Rolling-origin backtest of the arrival forecast against a seasonal-naive baseline.

Rolling origin (Tashman 2000): at each origin the model of
:mod:`servicegate.engines.forecasting` is fitted on the data before it and forecasts
``horizon`` buckets; so does the weekly seasonal-naive baseline (the same bucket one
week earlier). Errors are WAPE = Σ|e| / Σy and MASE = mean|e| / mean|y_t − y_{t−m}| over
the training data, with ``m`` one week of buckets (Hyndman & Koehler 2006).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from servicegate.engines.forecasting import (
    CountSeries,
    FloatArray,
    ForecastSettings,
    Freq,
    check_horizon,
    forecast_counts,
)
from servicegate.engines.queueing import PlanningInputError

__all__ = ["Backtest", "backtest", "seasonal_naive"]


def seasonal_naive(series: CountSeries, horizon: int) -> FloatArray:
    """Weekly seasonal-naive forecast: each bucket repeats the same bucket of the last week."""
    check_horizon(horizon)
    m = 7 * series.per_day
    if series.counts.size < m:
        raise PlanningInputError("The seasonal-naive forecast needs at least one week of history.")
    last_week = series.counts[-m:]
    return np.asarray(last_week[np.arange(horizon) % m], dtype=np.float64)


@dataclass(frozen=True)
class Backtest:
    """Rolling-origin scores of the model and of the weekly seasonal-naive baseline.

    Lower is better for all four; ``origins`` are the first forecast buckets.
    """

    freq: Freq
    horizon: int
    origins: tuple[str, ...]
    model_mase: float
    model_wape: float
    naive_mase: float
    naive_wape: float

    @property
    def beats_baseline(self) -> bool:
        """True when the model is better than seasonal-naive on both MASE and WAPE."""
        return bool(self.model_mase < self.naive_mase and self.model_wape < self.naive_wape)

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "origins": list(self.origins), "beats_baseline": self.beats_baseline}


def _origins(
    series: CountSeries, horizon: int, origins: int, step: int, min_days: int
) -> list[int]:
    n = series.counts.size
    cuts = [n - horizon - k * step for k in range(origins)][::-1]
    cuts = [c - c % series.per_day for c in cuts]  # origins at midnight
    if cuts[0] < min_days * series.per_day:
        raise PlanningInputError(
            f"The history is too short for {origins} backtest origins with a horizon of {horizon} "
            f"buckets; give more history or fewer origins (each needs {min_days} days before it)."
        )
    return cuts


def backtest(
    series: CountSeries,
    *,
    horizon: int,
    origins: int = 8,
    step: int | None = None,
    holidays: Collection[dt.date] = (),
    country: str | None = None,
    settings: ForecastSettings | None = None,
    min_train_days: int = 28,
) -> Backtest:
    """Rolling-origin evaluation over the last ``origins`` origins, ``step`` buckets apart
    (default: ``horizon``), each trained on all data before it."""
    check_horizon(horizon)
    if origins < 1:
        raise PlanningInputError(f"The number of origins (origins={origins!r}) must be at least 1.")
    cuts = _origins(series, horizon, origins, step or horizon, min_train_days)
    m = 7 * series.per_day
    err_model, err_naive, actual_total, mase_model, mase_naive = 0.0, 0.0, 0.0, [], []
    for cut in cuts:
        train = series.head(cut)
        actual = series.counts[cut : cut + horizon]
        fc = forecast_counts(
            train, horizon=horizon, holidays=holidays, country=country, settings=settings
        )
        e_model = np.abs(actual - fc.mean)
        e_naive = np.abs(actual - seasonal_naive(train, horizon))
        scale = float(np.mean(np.abs(train.counts[m:] - train.counts[:-m])))
        err_model, err_naive = err_model + e_model.sum(), err_naive + e_naive.sum()
        actual_total += float(actual.sum())
        if scale > 0:
            mase_model.append(float(e_model.mean()) / scale)
            mase_naive.append(float(e_naive.mean()) / scale)
    total = max(actual_total, 1e-12)
    starts = series.bucket_starts
    return Backtest(
        freq=series.freq,
        horizon=horizon,
        origins=tuple(str(starts[c]) for c in cuts),
        model_mase=float(np.mean(mase_model)) if mase_model else math.nan,
        model_wape=err_model / total,
        naive_mase=float(np.mean(mase_naive)) if mase_naive else math.nan,
        naive_wape=err_naive / total,
    )
