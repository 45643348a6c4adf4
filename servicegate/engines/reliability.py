"""Life data of the installed base: Weibull, exponential, Kaplan–Meier, Crow-AMSAA and
the optimal age-replacement interval.

Times are in any one unit (hours, cycles, days); every result is in that unit.
``failures`` are the ages at which units failed, ``right_censored`` the ages of units
that were still running (or were replaced before failing) when observation stopped.

Models
------
* **2-parameter Weibull** ``F(t) = 1 − exp(−(t/α)^β)`` by maximum likelihood with right
  censoring. With ``r`` failures ``tᵢ`` and all times ``tⱼ`` (failures and censored),
  the log-likelihood is::

      ℓ(α, β) = r·ln β − r·β·ln α + (β − 1)·Σᵢ ln tᵢ − Σⱼ (tⱼ/α)^β

  ``α`` is profiled out, ``α^β = Σⱼ tⱼ^β / r``, and ``β`` solves the monotone equation::

      g(β) = Σⱼ tⱼ^β ln tⱼ / Σⱼ tⱼ^β − 1/β − (1/r)·Σᵢ ln tᵢ = 0

  by safeguarded Newton steps (times are scaled by their largest value, so ``t^β`` never
  overflows). Confidence bounds come from the observed Fisher information (the inverse
  of minus the Hessian of ``ℓ`` at the optimum) on the log scale, as in the
  ``reliability`` package: ``α·exp(±z·se(α)/α)``, the same for ``β``.
* **Exponential** ``F(t) = 1 − exp(−λt)``: ``λ = r / Σⱼ tⱼ``, bounds ``λ·exp(±z/√r)``.
* **Kaplan–Meier** product-limit survival with Greenwood's variance and log-log bounds
  (R ``survfit(..., conf.type = "log-log")``).
* **Crow-AMSAA** power-law process for one repairable machine, intensity
  ``u(t) = λ·β·t^(β−1)``: ``β = n / Σᵢ ln(T/tᵢ)``, ``λ = n / T^β`` with ``T`` the end of
  observation (the last failure when not given). Trend test against a constant rate
  (β = 1): under it ``2·Σᵢ ln(T/tᵢ)`` is χ² with ``2n`` degrees of freedom (``2(n−1)``
  when observation ends at the last failure); the p-value is two-sided.
* **Age replacement**: replace preventively at age ``T`` for ``Cp`` or on failure for
  ``Cf``; the long-run cost per unit of time is::

      C(T) = (Cp·R(T) + Cf·F(T)) / ∫₀ᵀ R(t) dt,   ∫₀ᵀ R = α·Γ(1 + 1/β)·P(1/β, (T/α)^β)

  Its minimum ``T*`` solves ``h(T)·∫₀ᵀ R − F(T) = Cp / (Cf − Cp)`` (``h`` the hazard).
  With ``β ≤ 1`` the hazard does not increase and there is no finite ``T*``: run to
  failure, cost ``Cf / MTTF``.

References: W. Nelson, *Applied Life Data Analysis* (1982); J. Lawless, *Statistical
Models and Methods for Lifetime Data* (2003); L. H. Crow, "Reliability analysis for
complex, repairable systems" (1974), MIL-HDBK-189; R. E. Barlow, F. Proschan,
*Mathematical Theory of Reliability* (1965), age replacement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats

__all__ = [
    "CrowAmsaa",
    "ExponentialFit",
    "KaplanMeier",
    "ReliabilityDataError",
    "ReplacementInterval",
    "WeibullFit",
    "crow_amsaa",
    "exponential_fit",
    "kaplan_meier",
    "optimal_replacement_interval",
    "weibull_fit",
]

FloatArray = NDArray[np.float64]


class ReliabilityDataError(ValueError):
    """Life data or costs that cannot be analysed; the message is one whole sentence."""


# --------------------------------------------------------------------------- input


def _times(values: Iterable[float] | ArrayLike | None, what: str) -> FloatArray:
    """The times of ``values`` as a float array, refusing anything but positive numbers."""
    if values is None:
        return np.empty(0)
    try:
        array = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ReliabilityDataError(f"The {what} must be numbers.") from None
    if array.size and not np.all(np.isfinite(array)):
        raise ReliabilityDataError(f"The {what} must be finite numbers.")
    if array.size and array.min() <= 0:
        bad = array[array <= 0][0]
        raise ReliabilityDataError(
            f"The {what} must be positive ages; {_number(bad)} is zero or negative."
        )
    return array


def _number(value: float) -> str:
    return f"{value:g}"


def _z(ci: float) -> float:
    if not 0 < ci < 1:
        raise ReliabilityDataError(
            f"The confidence level must lie between 0 and 1 (e.g. 0.95); got {ci}."
        )
    return float(special.ndtri(0.5 + ci / 2))


def _life_data(
    failures: ArrayLike, right_censored: ArrayLike | None, *, minimum: int
) -> tuple[FloatArray, FloatArray]:
    fail = _times(failures, "failure times")
    cens = _times(right_censored, "censored times")
    if fail.size < minimum:
        needed = "1 failure time" if minimum == 1 else f"{minimum} failure times"
        raise ReliabilityDataError(
            f"A fit needs at least {needed}; got {fail.size}, so the data are too few."
        )
    return fail, cens


def _log_bounds(value: float, se: float, z: float) -> tuple[float, float]:
    if not math.isfinite(se) or value <= 0:
        return (math.nan, math.nan)
    factor = math.exp(z * se / value)
    return (value / factor, value * factor)


# --------------------------------------------------------------------------- Weibull


@dataclass(frozen=True)
class WeibullFit:
    """A 2-parameter Weibull fit: scale ``alpha`` (η), shape ``beta``, bounds at ``ci``."""

    alpha: float
    beta: float
    loglik: float
    alpha_ci: tuple[float, float]
    beta_ci: tuple[float, float]
    n_failures: int
    n_censored: int
    alpha_se: float = math.nan
    beta_se: float = math.nan
    cov_alpha_beta: float = math.nan
    ci: float = 0.95

    def reliability(self, t: ArrayLike) -> FloatArray:
        """``R(t) = exp(−(t/α)^β)``; ``R(t) = 1`` for ``t ≤ 0``."""
        x = np.clip(np.asarray(t, dtype=float), 0.0, None)
        return np.asarray(np.exp(-((x / self.alpha) ** self.beta)), dtype=float)

    def cdf(self, t: ArrayLike) -> FloatArray:
        """``F(t) = 1 − R(t)``, the probability of failure by age ``t``."""
        x = np.clip(np.asarray(t, dtype=float), 0.0, None)
        return np.asarray(-np.expm1(-((x / self.alpha) ** self.beta)), dtype=float)

    def hazard(self, t: ArrayLike) -> FloatArray:
        """``h(t) = (β/α)·(t/α)^(β−1)``, failures per unit of time at age ``t``."""
        x = np.asarray(t, dtype=float)
        return (self.beta / self.alpha) * (x / self.alpha) ** (self.beta - 1)

    @property
    def mean_life(self) -> float:
        """MTTF ``α·Γ(1 + 1/β)``."""
        return float(self.alpha * special.gamma(1 + 1 / self.beta))

    def expected_failures(self, t0: float, t1: float) -> float:
        """Failures to expect of one unit aged ``t0`` until it is ``t1``, no renewal.

        ``(F(t1) − F(t0)) / R(t0)``: the probability that a unit that survived to
        ``t0`` fails before ``t1`` (at most one failure, so at most 1).
        """
        if t1 < t0:
            raise ReliabilityDataError(
                f"The end age {_number(t1)} lies before the start age {_number(t0)}."
            )
        h0 = (max(t0, 0.0) / self.alpha) ** self.beta
        h1 = (max(t1, 0.0) / self.alpha) ** self.beta
        return float(-math.expm1(-(h1 - h0)))

    def as_dict(self) -> dict[str, Any]:
        """The fit as JSON-ready numbers (the CLI's output)."""
        return {
            "alpha": self.alpha,
            "beta": self.beta,
            "loglik": self.loglik,
            "alpha_ci": list(self.alpha_ci),
            "beta_ci": list(self.beta_ci),
            "n_failures": self.n_failures,
            "n_censored": self.n_censored,
        }


def _profile_sums(beta: float, moments: FloatArray, lx: FloatArray) -> tuple[float, float, float]:
    """``Σ x^β``, ``Σ x^β ln x`` and ``Σ x^β ln² x`` in one matrix product."""
    s0, s1, s2 = (moments @ np.exp(beta * lx)).tolist()
    return s0, s1, s2


def _solve_beta(lx: FloatArray, lf: FloatArray, moments: FloatArray) -> float:
    """The root of the increasing ``g`` by Newton steps kept inside a sign bracket.

    Starts from Menon's moment estimate ``β ≈ π / (√6 · sd(ln t))`` of the failures.
    """
    mean_lf = float(lf.mean())
    spread = float(lf.std())
    lo, hi = 0.0, math.inf
    beta = min(max(1.2825 / spread, 0.05), 50.0) if spread > 0 else 1.0
    for _ in range(200):
        s0, s1, s2 = _profile_sums(beta, moments, lx)
        m1 = s1 / s0
        g = m1 - 1.0 / beta - mean_lf
        if g < 0:
            lo = beta
        else:
            hi = beta
        step = beta - g / (s2 / s0 - m1 * m1 + 1.0 / (beta * beta))
        if not (lo < step < hi) or not math.isfinite(step):
            step = 0.5 * (lo + hi) if math.isfinite(hi) else 2.0 * beta
        if abs(step - beta) <= 1e-13 * beta:
            return step
        beta = step
    return beta


def weibull_fit(
    failures: ArrayLike, right_censored: ArrayLike | None = None, *, ci: float = 0.95
) -> WeibullFit:
    """Fit a 2-parameter Weibull distribution by maximum likelihood (see the module).

    Raises :class:`ReliabilityDataError` for fewer than 2 failures, times that are not
    positive numbers, or failures that all share one age (the shape is then unbounded).
    """
    z = _z(ci)
    fail, cens = _life_data(failures, right_censored, minimum=2)
    if fail.min() == fail.max() and (cens.size == 0 or cens.max() <= fail[0]):
        raise ReliabilityDataError(
            f"All {fail.size} failures happened at the same age {_number(fail[0])}, "
            "so the spread of the lives (the Weibull shape) cannot be estimated."
        )
    every = np.concatenate([fail, cens])
    scale = float(every.max())
    lx = np.log(every / scale)
    lf = lx[: fail.size]
    r = fail.size
    moments = np.vstack([np.ones_like(lx), lx, lx * lx])
    beta = _solve_beta(lx, lf, moments)
    s0, s1, s2 = _profile_sums(beta, moments, lx)
    log_alpha_x = math.log(s0 / r) / beta
    alpha = math.exp(log_alpha_x) * scale
    # at the optimum Σ (t/α)^β = r
    sum_log_fail = float(lf.sum()) + r * math.log(scale)
    loglik = r * math.log(beta) - r * beta * math.log(alpha) + (beta - 1.0) * sum_log_fail - r
    var_a, var_b, cov_ab = _weibull_covariance(s0, s1, s2, r, log_alpha_x, beta)
    var_a *= scale * scale
    cov_ab *= scale
    se_a = math.sqrt(var_a) if var_a > 0 else math.nan
    se_b = math.sqrt(var_b) if var_b > 0 else math.nan
    return WeibullFit(
        alpha=alpha,
        beta=beta,
        loglik=loglik,
        alpha_ci=_log_bounds(alpha, se_a, z),
        beta_ci=_log_bounds(beta, se_b, z),
        n_failures=int(r),
        n_censored=int(cens.size),
        alpha_se=se_a,
        beta_se=se_b,
        cov_alpha_beta=cov_ab,
        ci=ci,
    )


def _weibull_covariance(
    s0: float, s1: float, s2: float, r: int, log_alpha: float, beta: float
) -> tuple[float, float, float]:
    """``Var α``, ``Var β`` and ``Cov(α, β)`` from the inverse observed information.

    ``s_k = Σ x^β ln^k x`` over the scaled times at the optimum, where ``α^β = s0 / r``;
    with ``u = ln(x/α)`` and ``z = (x/α)^β`` the Hessian of ``ℓ`` is::

        ∂²ℓ/∂α² = −β²·r/α²,  ∂²ℓ/∂β² = −r/β² − Σ z·u²,  ∂²ℓ/∂α∂β = (β/α)·Σ z·u
    """
    alpha = math.exp(log_alpha)
    k = r / s0
    su = k * (s1 - log_alpha * s0)
    suu = k * (s2 - 2.0 * log_alpha * s1 + log_alpha * log_alpha * s0)
    info_aa = beta * beta * r / (alpha * alpha)
    info_bb = r / (beta * beta) + suu
    info_ab = -(beta / alpha) * su
    det = info_aa * info_bb - info_ab * info_ab
    if not det > 0:
        return math.nan, math.nan, math.nan
    return info_bb / det, info_aa / det, -info_ab / det


def _weibull_loglik(fail: FloatArray, cens: FloatArray, alpha: float, beta: float) -> float:
    """``ℓ(α, β)`` of the module docstring, evaluated directly."""
    r = fail.size
    return float(
        r * math.log(beta)
        - r * beta * math.log(alpha)
        + (beta - 1.0) * np.log(fail).sum()
        - ((fail / alpha) ** beta).sum()
        - ((cens / alpha) ** beta).sum()
    )


# --------------------------------------------------------------------------- exponential


@dataclass(frozen=True)
class ExponentialFit:
    """An exponential fit: failure rate ``lambda_`` (per unit of time), bounds at ``ci``."""

    lambda_: float
    loglik: float
    lambda_ci: tuple[float, float]
    n_failures: int
    n_censored: int
    ci: float = 0.95

    @property
    def mean_life(self) -> float:
        """MTTF ``1/λ``."""
        return 1.0 / self.lambda_

    def reliability(self, t: ArrayLike) -> FloatArray:
        """``R(t) = exp(−λt)``."""
        x = np.clip(np.asarray(t, dtype=float), 0.0, None)
        return np.asarray(np.exp(-self.lambda_ * x), dtype=float)

    def cdf(self, t: ArrayLike) -> FloatArray:
        """``F(t) = 1 − exp(−λt)``."""
        x = np.clip(np.asarray(t, dtype=float), 0.0, None)
        return np.asarray(-np.expm1(-self.lambda_ * x), dtype=float)

    def expected_failures(self, t0: float, t1: float) -> float:
        """``1 − exp(−λ(t1 − t0))``: memoryless, the age does not matter."""
        if t1 < t0:
            raise ReliabilityDataError(
                f"The end age {_number(t1)} lies before the start age {_number(t0)}."
            )
        return float(-math.expm1(-self.lambda_ * (t1 - t0)))


def exponential_fit(
    failures: ArrayLike, right_censored: ArrayLike | None = None, *, ci: float = 0.95
) -> ExponentialFit:
    """Fit an exponential distribution by maximum likelihood: ``λ = r / Σ t``."""
    z = _z(ci)
    fail, cens = _life_data(failures, right_censored, minimum=1)
    r = fail.size
    exposure = float(fail.sum() + cens.sum())
    lam = r / exposure
    factor = math.exp(z / math.sqrt(r))
    return ExponentialFit(
        lambda_=lam,
        loglik=float(r * math.log(lam) - lam * exposure),
        lambda_ci=(lam / factor, lam * factor),
        n_failures=int(r),
        n_censored=int(cens.size),
        ci=ci,
    )


# --------------------------------------------------------------------------- Kaplan–Meier


@dataclass(frozen=True)
class KaplanMeier:
    """The product-limit estimate at each distinct failure age, with log-log bounds."""

    times: FloatArray
    survival: FloatArray
    lower: FloatArray
    upper: FloatArray
    at_risk: FloatArray
    events: FloatArray
    std_err: FloatArray  # of −ln S (Greenwood)

    def at(self, t: ArrayLike) -> FloatArray:
        """``S(t)``, a step function continuous from the right (1 before the first failure)."""
        index = np.searchsorted(self.times, np.asarray(t, dtype=float), side="right")
        return np.concatenate([[1.0], self.survival])[index]


def kaplan_meier(
    failures: ArrayLike, right_censored: ArrayLike | None = None, *, ci: float = 0.95
) -> KaplanMeier:
    """Kaplan–Meier survival with Greenwood's variance and log-log bounds.

    A unit censored at the age of a failure is at risk at that failure (the usual
    convention, as in R ``survival``).
    """
    z = _z(ci)
    fail, cens = _life_data(failures, right_censored, minimum=1)
    times, events = np.unique(fail, return_counts=True)
    every = np.sort(np.concatenate([fail, cens]))
    at_risk = (every.size - np.searchsorted(every, times, side="left")).astype(float)
    d = events.astype(float)
    survival = np.cumprod(1.0 - d / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(d / (at_risk * (at_risk - d)))
        se = np.sqrt(greenwood)
        log_s = np.log(survival)
        spread = z * se / np.abs(log_s)
        loglog = np.log(-log_s)
        lower = np.exp(-np.exp(loglog + spread))
        upper = np.exp(-np.exp(loglog - spread))
    inner = (survival > 0) & (survival < 1)
    lower = np.where(inner, lower, np.where(survival >= 1, 1.0, math.nan))
    upper = np.where(inner, upper, np.where(survival >= 1, 1.0, math.nan))
    return KaplanMeier(
        times=times.astype(float),
        survival=survival,
        lower=lower,
        upper=upper,
        at_risk=at_risk,
        events=d,
        std_err=se,
    )


# --------------------------------------------------------------------------- Crow-AMSAA


@dataclass(frozen=True)
class CrowAmsaa:
    """Power-law process of one repairable machine: ``E[N(t)] = λ·t^β``.

    ``beta < 1`` means failures become rarer (improvement), ``beta > 1`` more frequent
    (wear-out); ``trend_p_value`` is the two-sided p-value of a constant rate.
    """

    beta: float
    lambda_: float
    end_time: float
    n_failures: int
    trend_statistic: float
    trend_p_value: float

    @property
    def trend(self) -> str:
        """``improving``, ``worsening`` or ``constant`` at the 5 % level."""
        if self.trend_p_value >= 0.05:
            return "constant"
        return "worsening" if self.beta > 1 else "improving"

    def intensity(self, t: ArrayLike) -> FloatArray:
        """Failures per unit of time at time ``t``: ``λ·β·t^(β−1)``."""
        x = np.asarray(t, dtype=float)
        return self.lambda_ * self.beta * x ** (self.beta - 1)

    def expected_failures(self, t0: float, t1: float) -> float:
        """Failures (with repair) between times ``t0`` and ``t1``: ``λ·(t1^β − t0^β)``."""
        return float(self.lambda_ * (max(t1, 0.0) ** self.beta - max(t0, 0.0) ** self.beta))


def crow_amsaa(failure_times: ArrayLike, *, end_time: float | None = None) -> CrowAmsaa:
    """Fit the Crow-AMSAA model to the cumulative failure times of one machine."""
    times = np.sort(_times(failure_times, "failure times"))
    if times.size < 2:
        raise ReliabilityDataError(
            f"A Crow-AMSAA fit needs at least 2 failure times; got {times.size}, "
            "so the data are too few."
        )
    failure_terminated = end_time is None
    end = float(times[-1]) if end_time is None else float(end_time)
    if not math.isfinite(end) or end < times[-1]:
        raise ReliabilityDataError(
            f"The end of observation {_number(end)} lies before the last failure at "
            f"{_number(times[-1])}."
        )
    total = float(np.log(end / times).sum())
    if total <= 0:
        raise ReliabilityDataError(
            "All failures happened at the same time, so no trend can be estimated."
        )
    n = times.size
    beta = n / total
    dof = 2 * (n - 1) if failure_terminated else 2 * n
    statistic = 2.0 * total
    cdf = float(stats.chi2.cdf(statistic, dof))
    p_value = min(1.0, 2.0 * min(cdf, 1.0 - cdf))
    return CrowAmsaa(
        beta=beta,
        lambda_=n / end**beta,
        end_time=end,
        n_failures=int(n),
        trend_statistic=statistic,
        trend_p_value=p_value,
    )


# --------------------------------------------------------------------------- age replacement


@dataclass(frozen=True)
class ReplacementInterval:
    """The cost-optimal age for preventive replacement, or ``None`` with the reason.

    ``cost_rate`` and ``cost_rate_run_to_failure`` are costs per unit of time;
    ``saving`` is their difference (what replacing at ``interval`` saves per unit of
    time), ``saving_share`` the same as a share of the run-to-failure cost rate.
    """

    interval: float | None
    cost_rate: float | None
    cost_rate_run_to_failure: float
    saving: float | None
    reason: str | None
    saving_share: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the CLI's output)."""
        return {
            "interval": self.interval,
            "cost_rate": self.cost_rate,
            "cost_rate_run_to_failure": self.cost_rate_run_to_failure,
            "saving": self.saving,
            "reason": self.reason,
        }


def _check_positive(value: float, name: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ReliabilityDataError(f"The {name} must be a positive number; got {value}.")
    return number


def age_replacement_cost_rate(
    interval: ArrayLike, *, alpha: float, beta: float, cost_preventive: float, cost_failure: float
) -> FloatArray:
    """``C(T) = (Cp·R(T) + Cf·F(T)) / ∫₀ᵀ R(t) dt`` for a Weibull life."""
    t = np.asarray(interval, dtype=float)
    x = (t / alpha) ** beta
    f = -np.expm1(-x)
    mean_cycle = alpha * special.gamma(1 + 1 / beta) * special.gammainc(1 / beta, x)
    return np.asarray((cost_preventive * (1 - f) + cost_failure * f) / mean_cycle)


def optimal_replacement_interval(
    *, alpha: float, beta: float, cost_preventive: float, cost_failure: float
) -> ReplacementInterval:
    """The age ``T*`` minimising the long-run cost rate of age replacement.

    Refuses non-positive parameters and a failure cost not above the preventive cost
    (replacing early could then never pay). With ``β ≤ 1`` there is no interval.
    """
    alpha = _check_positive(alpha, "Weibull scale α")
    beta = _check_positive(beta, "Weibull shape β")
    cp = _check_positive(cost_preventive, "preventive cost")
    cf = _check_positive(cost_failure, "failure cost")
    if cf <= cp:
        raise ReliabilityDataError(
            f"The failure cost ({_number(cf)}) must be higher than the preventive cost "
            f"({_number(cp)}); otherwise replacing before failure never pays."
        )
    mttf = alpha * float(special.gamma(1 + 1 / beta))
    run_to_failure = cf / mttf
    if beta <= 1:
        return ReplacementInterval(
            interval=None,
            cost_rate=None,
            cost_rate_run_to_failure=run_to_failure,
            saving=None,
            reason=(
                f"The failure rate does not increase with age (β = {beta:.3g} ≤ 1), so "
                "replacing before failure does not lower the cost: run to failure."
            ),
        )
    target = cp / (cf - cp)
    gamma_scale = alpha * float(special.gamma(1 + 1 / beta))

    def condition(log_x: float) -> float:
        # in u = (T/α)^β: h(T)·∫R − F(T) = β·u/T·∫R − F
        u = math.exp(log_x)
        t = alpha * u ** (1 / beta)
        integral = gamma_scale * float(special.gammainc(1 / beta, u))
        return float(beta * u / t * integral + math.expm1(-u) - target)

    lo, hi = -60.0, 0.0
    while condition(hi) < 0:
        lo, hi = hi, hi + 2.0
        if hi > 20:  # (T/α)^β > e^20: the optimum is beyond any service life
            break
    if condition(hi) < 0:
        return ReplacementInterval(
            interval=None,
            cost_rate=None,
            cost_rate_run_to_failure=run_to_failure,
            saving=None,
            reason="The cost rate keeps falling with age, so run to failure.",
        )
    log_x = optimize.brentq(condition, lo, hi, xtol=1e-14, rtol=1e-14, maxiter=200)
    interval = alpha * math.exp(log_x / beta)
    rate = float(
        age_replacement_cost_rate(
            interval, alpha=alpha, beta=beta, cost_preventive=cp, cost_failure=cf
        )
    )
    return ReplacementInterval(
        interval=interval,
        cost_rate=rate,
        cost_rate_run_to_failure=run_to_failure,
        saving=run_to_failure - rate,
        reason=None,
        saving_share=(run_to_failure - rate) / run_to_failure,
    )
