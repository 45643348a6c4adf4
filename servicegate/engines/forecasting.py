"""Forecast of arrivals per day or hour, with prediction intervals.

Model (multiplicative, fitted on counts per bucket)::

    E[y_d]      = L_d · w[weekday(d)] · h^holiday(d)          (daily count)
    L_d         = a + b · φ-damped steps ahead of the origin   (level and trend)
    E[y_{d,k}]  = E[y_d] · p[weekday(d), k]                    (hour k of day d)

* ``w`` — weekday factors (mean 1): recency-weighted mean count per weekday
  divided by the recency-weighted mean over all days (weights halve every
  ``half_life_days``); holidays are left out.
* ``a, b`` — weighted least squares line through the weekday-adjusted daily
  counts of the last ``trend_window_days``; the slope is damped with ``φ`` so a
  short-lived trend is not extrapolated for ever, and the forecast is kept ≥ 0.
* ``h`` — holiday factor: observed / expected counts on past holidays, shrunk
  towards the quietest weekday's factor by one pseudo-day.
* ``p`` — within-day hour shares per weekday, shrunk towards the pooled hour
  profile by ``profile_prior_days`` pseudo-days (so sparse hours stay sane).

Prediction intervals: Poisson, unless the Cameron–Trivedi regression test finds
overdispersion (one-sided p < 0.05); then negative binomial with
``Var = μ + αμ²`` and α estimated from the same regression
(A. C. Cameron, P. K. Trivedi, J. Econometrics 46, 1990).

The rolling-origin backtest against the seasonal-naive baseline is in
:mod:`servicegate.engines.backtesting`.

Timestamps are local wall-clock times (numpy ``datetime64`` or epoch seconds);
:func:`local_wallclock` converts UTC epoch seconds into a time zone first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.workload import PiecewiseRate

__all__ = [
    "CountSeries",
    "Forecast",
    "ForecastSettings",
    "check_horizon",
    "count_arrivals",
    "forecast_counts",
    "local_wallclock",
]

Freq = Literal["day", "hour"]
FloatArray = NDArray[np.float64]
_BUCKET_SECONDS = {"day": 86400, "hour": 3600}
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class ForecastSettings:
    """Tuning of the forecast; the defaults suit daily-to-weekly service data."""

    half_life_days: float = 28.0
    trend_window_days: int = 56
    trend_damping: float = 0.9
    profile_prior_days: float = 20.0
    interval: float = 0.9

    def __post_init__(self) -> None:
        if not (0 < self.interval < 1):
            raise PlanningInputError(
                f"The prediction interval (interval={self.interval!r}) must lie strictly between "
                "0 and 1, for example 0.9."
            )
        if self.half_life_days <= 0 or self.trend_window_days < 7:
            raise PlanningInputError(
                "The half-life must be positive and the trend window at least 7 days."
            )
        if not 0 <= self.trend_damping <= 1:
            raise PlanningInputError("The trend damping must be between 0 and 1.")


@dataclass(frozen=True)
class CountSeries:
    """Arrivals counted per bucket: ``counts[i]`` in ``[start + i·bucket, start + (i+1)·bucket)``.

    ``start`` is a local midnight, so the series always holds whole days.
    """

    start: np.datetime64
    freq: Freq
    counts: FloatArray = field(repr=False)

    @property
    def per_day(self) -> int:
        return 24 if self.freq == "hour" else 1

    @property
    def bucket_starts(self) -> NDArray[np.datetime64]:
        step = np.timedelta64(_BUCKET_SECONDS[self.freq], "s")
        return self.start + step * np.arange(self.counts.size)

    def daily(self) -> FloatArray:
        """Counts per day."""
        return np.asarray(self.counts.reshape(-1, self.per_day).sum(axis=1), dtype=np.float64)

    def head(self, buckets: int) -> CountSeries:
        """The first ``buckets`` buckets (a whole number of days)."""
        return CountSeries(self.start, self.freq, self.counts[:buckets])


@dataclass(frozen=True)
class Forecast:
    """Expected arrivals per bucket with a central prediction interval.

    ``distribution`` is ``"poisson"`` or ``"negative_binomial"`` (then
    ``dispersion`` is α in ``Var = μ + αμ²``).
    """

    freq: Freq
    bucket_starts: NDArray[np.datetime64] = field(repr=False)
    mean: FloatArray = field(repr=False)
    lower: FloatArray = field(repr=False)
    upper: FloatArray = field(repr=False)
    interval: float
    distribution: str
    dispersion: float
    overdispersion_p_value: float

    def to_piecewise_rate(self) -> PiecewiseRate:
        """Arrival rates per second over the forecast buckets, for the simulation."""
        seconds = _BUCKET_SECONDS[self.freq]
        starts = self.bucket_starts.astype("datetime64[s]").astype(np.int64).astype(float)
        breakpoints = (*starts.tolist(), float(starts[-1] + seconds))
        return PiecewiseRate(breakpoints, tuple((self.mean / seconds).tolist()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with one row per bucket."""
        rows = [
            {"start": str(s), "mean": float(m), "lower": float(lo), "upper": float(hi)}
            for s, m, lo, hi in zip(
                self.bucket_starts, self.mean, self.lower, self.upper, strict=True
            )
        ]
        return {
            "freq": self.freq,
            "interval": self.interval,
            "distribution": self.distribution,
            "dispersion": self.dispersion,
            "overdispersion_p_value": self.overdispersion_p_value,
            "buckets": rows,
        }


# --- input ------------------------------------------------------------------------------------


def _as_seconds(timestamps: Sequence[float] | NDArray[Any]) -> NDArray[np.int64]:
    arr = np.asarray(timestamps)
    if np.issubdtype(arr.dtype, np.datetime64):
        if np.any(np.isnat(arr)):
            raise PlanningInputError(
                "The timestamps contain missing values (NaT); drop them first."
            )
        return arr.astype("datetime64[s]").astype(np.int64)
    if arr.size and not np.issubdtype(arr.dtype, np.number):
        raise PlanningInputError("The timestamps must be numpy datetime64 values or epoch seconds.")
    values = arr.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise PlanningInputError(
            "The timestamps contain missing or infinite values; drop them first."
        )
    return np.floor(values).astype(np.int64)


def local_wallclock(
    epoch_seconds: Sequence[float] | NDArray[Any], tz: str
) -> NDArray[np.datetime64]:
    """Local wall-clock ``datetime64[s]`` of UTC epoch seconds in time zone ``tz``.

    The UTC offset is looked up once per distinct UTC hour (offsets change on whole
    hours or half hours, never within a quarter-hour of it in practice).
    """
    secs = _as_seconds(epoch_seconds)
    hours = secs // 3600
    unique, inverse = np.unique(hours, return_inverse=True)
    zone = ZoneInfo(tz)
    offsets = np.array(
        [
            dt.datetime.fromtimestamp(int(h) * 3600, dt.UTC).astimezone(zone).utcoffset()
            or dt.timedelta(0)
            for h in unique
        ],
        dtype="timedelta64[s]",
    )
    local: NDArray[np.datetime64] = secs.astype("datetime64[s]") + offsets[inverse.ravel()]
    return local


def count_arrivals(
    timestamps: Sequence[float] | NDArray[Any],
    *,
    freq: Freq = "day",
    start: np.datetime64 | None = None,
    end: np.datetime64 | None = None,
) -> CountSeries:
    """Count arrivals per day or hour over whole days ``[start, end)``.

    Defaults: from the midnight before the first arrival to the midnight after the
    last; arrivals outside the range are ignored.
    """
    if freq not in _BUCKET_SECONDS:
        raise PlanningInputError(f"The frequency (freq={freq!r}) must be 'day' or 'hour'.")
    secs = _as_seconds(timestamps)
    if secs.size == 0:
        raise PlanningInputError("There are no arrival timestamps to count; give at least one.")
    days = secs // 86400
    first = np.datetime64(int(days.min()), "D") if start is None else start.astype("datetime64[D]")
    last = np.datetime64(int(days.max()) + 1, "D") if end is None else end.astype("datetime64[D]")
    if last <= first:
        raise PlanningInputError("The counting range must end after it starts.")
    size = _BUCKET_SECONDS[freq]
    origin = int(first.astype("datetime64[s]").astype(np.int64))
    n = int((last - first) / _DAY) * (86400 // size)
    idx = (secs - origin) // size
    idx = idx[(idx >= 0) & (idx < n)]
    counts = np.bincount(idx, minlength=n).astype(np.float64)
    return CountSeries(first.astype("datetime64[s]"), freq, counts)


# --- model -------------------------------------------------------------------------------------


def _weekday(days: NDArray[np.datetime64]) -> NDArray[np.int64]:
    """Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday)."""
    return (days.astype("datetime64[D]").astype(np.int64) + 3) % 7


def holiday_dates(
    days: NDArray[np.datetime64], holidays: Collection[dt.date] = (), country: str | None = None
) -> NDArray[np.bool_]:
    """Mask of the ``days`` that are explicit ``holidays`` or public holidays of ``country``
    (ISO code for the ``holidays`` package, e.g. ``"DE"``)."""
    wanted = {np.datetime64(d, "D") for d in holidays}
    if country:
        import holidays as holidays_pkg

        years = range(int(str(days.min())[:4]), int(str(days.max())[:4]) + 1)
        try:
            calendar = holidays_pkg.country_holidays(country, years=years)
        except NotImplementedError as exc:
            raise PlanningInputError(
                f"The country code (country={country!r}) is not known to the holidays package; "
                "use an ISO code such as 'DE' or 'US'."
            ) from exc
        wanted |= {np.datetime64(d, "D") for d in calendar}
    return np.isin(days.astype("datetime64[D]"), np.array(sorted(wanted), dtype="datetime64[D]"))


@dataclass(frozen=True)
class _DailyModel:
    weekday_factors: FloatArray
    level: float
    slope: float
    holiday_factor: float
    hour_shares: FloatArray  # (7, buckets per day), rows sum to 1


def _recency(n: int, half_life: float) -> FloatArray:
    return np.asarray(0.5 ** ((n - 1 - np.arange(n)) / half_life), dtype=np.float64)


def _weekday_factors(
    y: FloatArray, wd: NDArray[np.int64], use: NDArray[np.bool_], wgt: FloatArray
) -> FloatArray:
    means = np.ones(7)
    for k in range(7):
        sel = use & (wd == k)
        if sel.any():
            means[k] = float(np.sum(wgt[sel] * y[sel]) / np.sum(wgt[sel]))
    total = means.mean()
    return means / total if total > 0 else np.ones(7)


def _trend(
    z: FloatArray, use: NDArray[np.bool_], wgt: FloatArray, window: int
) -> tuple[float, float]:
    """Weighted least-squares line over the last ``window`` days: (level at the end, slope)."""
    n = z.size
    sel = use & (np.arange(n) >= n - window)
    if sel.sum() < 2:
        return (float(z[use].mean()) if use.any() else 0.0), 0.0
    x, w, v = np.arange(n)[sel] - (n - 1.0), wgt[sel], z[sel]
    xm, vm = np.average(x, weights=w), np.average(v, weights=w)
    sxx = float(np.sum(w * (x - xm) ** 2))
    slope = float(np.sum(w * (x - xm) * (v - vm)) / sxx) if sxx > 0 else 0.0
    return float(vm - slope * xm), slope


def _holiday_factor(
    y: FloatArray, expected: FloatArray, hol: NDArray[np.bool_], prior: float, level: float
) -> float:
    pseudo = max(level, 1e-9)
    return float((np.sum(y[hol]) + pseudo * prior) / (np.sum(expected[hol]) + pseudo))


def _hour_shares(
    series: CountSeries,
    wd: NDArray[np.int64],
    use: NDArray[np.bool_],
    wgt: FloatArray,
    prior_days: float,
) -> FloatArray:
    grid = series.counts.reshape(-1, series.per_day)
    weighted = grid * wgt[:, None]
    pooled_total = weighted[use].sum(axis=0)
    pooled = (
        pooled_total / pooled_total.sum()
        if pooled_total.sum() > 0
        else np.full(series.per_day, 1 / series.per_day)
    )
    per_day = weighted[use].sum() / max(float(wgt[use].sum()), 1e-12)
    shares = np.empty((7, series.per_day))
    for k in range(7):
        rows = weighted[use & (wd == k)].sum(axis=0)
        prior = prior_days * per_day
        shares[k] = (
            (rows + prior * pooled) / (rows.sum() + prior) if rows.sum() + prior > 0 else pooled
        )
    return shares


def _fit(series: CountSeries, hol: NDArray[np.bool_], s: ForecastSettings) -> _DailyModel:
    y = series.daily()
    n = y.size
    days = series.start.astype("datetime64[D]") + np.arange(n) * _DAY
    wd, wgt, use = _weekday(days), _recency(n, s.half_life_days), ~hol
    w = _weekday_factors(y, wd, use, wgt)
    ok = use & (w[wd] > 0)
    z = np.divide(y, w[wd], out=np.zeros(n), where=w[wd] > 0)
    level, slope = _trend(z, ok, wgt, s.trend_window_days)
    smooth = np.convolve(np.where(ok, z, 0.0), np.ones(15), "same") / np.maximum(
        np.convolve(ok.astype(float), np.ones(15), "same"), 1
    )
    h = _holiday_factor(y, smooth * w[wd], hol, float(w.min()), max(level, 0.0))
    shares = _hour_shares(series, wd, use, wgt, s.profile_prior_days)
    return _DailyModel(w, level, slope, h, shares)


def _predict(
    model: _DailyModel, first_day: np.datetime64, days: int, hol: NDArray[np.bool_], damping: float
) -> FloatArray:
    """Expected daily counts for ``days`` days from ``first_day``."""
    steps = np.arange(1, days + 1)
    damped = steps.astype(float) if damping == 1 else damping * (1 - damping**steps) / (1 - damping)
    level = np.maximum(model.level + model.slope * damped, 0.0)
    wd = _weekday(first_day + np.arange(days) * _DAY)
    return np.asarray(level * model.weekday_factors[wd] * np.where(hol, model.holiday_factor, 1.0))


def _expand(
    model: _DailyModel, daily: FloatArray, first_day: np.datetime64, per_day: int
) -> FloatArray:
    if per_day == 1:
        return daily
    wd = _weekday(first_day + np.arange(daily.size) * _DAY)
    return np.asarray((daily[:, None] * model.hour_shares[wd]).ravel())


# --- dispersion and intervals -----------------------------------------------------------------


def _overdispersion(y: FloatArray, mu: FloatArray) -> tuple[float, float]:
    """Cameron–Trivedi test: regress ``((y−μ)² − y)/μ`` on ``μ`` (no intercept).

    Returns ``(α, one-sided p-value of α > 0)``.
    """
    sel = mu > 1e-9
    y, mu = y[sel], mu[sel]
    if y.size < 3:
        return 0.0, 1.0
    z = ((y - mu) ** 2 - y) / mu
    alpha = float(np.sum(z * mu) / np.sum(mu * mu))
    resid = z - alpha * mu
    se = math.sqrt(float(np.sum(resid**2)) / (y.size - 1) / float(np.sum(mu * mu)))
    if se == 0:
        return max(alpha, 0.0), (0.0 if alpha > 0 else 1.0)
    return max(alpha, 0.0), float(stats.t.sf(alpha / se, y.size - 1))


def _bounds(
    mean: FloatArray, alpha: float, nb: bool, interval: float
) -> tuple[FloatArray, FloatArray]:
    lo_q, hi_q = (1 - interval) / 2, 1 - (1 - interval) / 2
    if nb:
        size = 1.0 / alpha
        p = size / (size + np.maximum(mean, 1e-12))
        return stats.nbinom.ppf(lo_q, size, p), stats.nbinom.ppf(hi_q, size, p)
    return stats.poisson.ppf(lo_q, mean), stats.poisson.ppf(hi_q, mean)


def _in_sample(
    series: CountSeries, model: _DailyModel, hol: NDArray[np.bool_], window: int
) -> tuple[FloatArray, FloatArray]:
    """Observed and fitted counts per bucket over the last ``window`` non-holiday days."""
    n_days = series.counts.size // series.per_day
    first = max(0, n_days - window)
    days = series.start.astype("datetime64[D]") + np.arange(first, n_days) * _DAY
    x = np.arange(first, n_days) - (n_days - 1.0)
    daily = np.maximum(model.level + model.slope * x, 0.0) * model.weekday_factors[_weekday(days)]
    fitted = _expand(model, daily, days[0], series.per_day).reshape(-1, series.per_day)
    observed = series.counts.reshape(-1, series.per_day)[first:]
    keep = ~hol[first:n_days]
    return observed[keep].ravel(), fitted[keep].ravel()


# --- public API ------------------------------------------------------------------------------


def check_horizon(horizon: int) -> None:
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise PlanningInputError(f"The horizon (horizon={horizon!r}) must be at least one bucket.")


def _check_history(series: CountSeries, days: int) -> None:
    if series.counts.size // series.per_day < days:
        raise PlanningInputError(
            f"The arrival history covers {series.counts.size // series.per_day} days; "
            f"at least {days} are needed. Give a longer history."
        )
    if series.counts.sum() <= 0:
        raise PlanningInputError(
            "The arrival history has no arrivals; the arrival rate must be positive."
        )


def forecast_counts(
    series: CountSeries,
    *,
    horizon: int,
    holidays: Collection[dt.date] = (),
    country: str | None = None,
    settings: ForecastSettings | None = None,
) -> Forecast:
    """Forecast the next ``horizon`` buckets after ``series`` (see the module docstring).

    Needs at least 14 days of history with at least one arrival.
    """
    s = settings or ForecastSettings()
    check_horizon(horizon)
    _check_history(series, 14)
    n_days = series.counts.size // series.per_day
    ahead = math.ceil(horizon / series.per_day)
    all_days = series.start.astype("datetime64[D]") + np.arange(n_days + ahead) * _DAY
    hol = holiday_dates(all_days, holidays, country)
    model = _fit(series, hol[:n_days], s)
    first = all_days[n_days]
    daily = _predict(model, first, ahead, hol[n_days:], s.trend_damping)
    mean = _expand(model, daily, first, series.per_day)[:horizon]
    alpha, p_value = _overdispersion(*_in_sample(series, model, hol[:n_days], s.trend_window_days))
    nb = p_value < 0.05 and alpha > 0
    lower, upper = _bounds(mean, alpha, nb, s.interval)
    step = np.timedelta64(_BUCKET_SECONDS[series.freq], "s")
    starts = first.astype("datetime64[s]") + step * np.arange(horizon)
    return Forecast(
        freq=series.freq,
        bucket_starts=starts,
        mean=mean,
        lower=np.asarray(lower, dtype=np.float64),
        upper=np.asarray(upper, dtype=np.float64),
        interval=s.interval,
        distribution="negative_binomial" if nb else "poisson",
        dispersion=alpha if nb else 0.0,
        overdispersion_p_value=p_value,
    )
