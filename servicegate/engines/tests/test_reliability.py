"""Life-data engine: published and R reference values, properties, bad inputs."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from servicegate.engines.reliability import (
    ReliabilityDataError,
    WeibullFit,
    age_replacement_cost_rate,
    crow_amsaa,
    exponential_fit,
    kaplan_meier,
    optimal_replacement_interval,
    weibull_fit,
)

#: The ``reliability`` documentation's Fit_Weibull_2P example (made from α 50, β 3).
DOCS_30 = [58, 75, 36, 52, 63, 65, 22, 17, 28, 64, 23, 40, 73, 45, 52, 36, 52, 60, 13, 55]
DOCS_30 += [82, 55, 34, 57, 23, 42, 66, 35, 34, 25]

REFS = "pypi-reliability-refs"


def sig5(value: float) -> Any:
    """Equal to 5 significant digits."""
    return pytest.approx(value, rel=5e-5)


def _json(shared_data: Path, name: str) -> Any:
    return json.loads((shared_data / REFS / name).read_text())


def _lung(shared_data: Path) -> tuple[np.ndarray, np.ndarray]:
    """R survival::lung: failures (deaths) and censored times."""
    columns = _json(shared_data, "surpyval-0.25_fixtures.json")["lung"]["columns"]
    time = np.asarray(columns["time"], dtype=float)
    censored = np.asarray(columns["c"]) == 1
    return time[~censored], time[censored]


def _r_reference(shared_data: Path, key: str) -> dict[str, Any]:
    values: dict[str, Any] = _json(shared_data, "surpyval-0.25_r_survival.json")["references"][key][
        "values"
    ]
    return values


# --- Weibull: published values ------------------------------------------------------------------


def test_weibull_reproduces_the_reliability_docs_example() -> None:
    """30 failures: α 51.858, β 2.80086, log-likelihood −129.063 and the 95 % bounds."""
    fit = weibull_fit(DOCS_30)
    assert fit.alpha == sig5(51.858)
    assert fit.beta == sig5(2.80086)
    assert fit.loglik == sig5(-129.063)
    assert fit.alpha_ci == (sig5(45.3359), sig5(59.3183))
    assert fit.beta_ci == (sig5(2.09624), sig5(3.74233))
    assert fit.alpha_se == sig5(3.55628)
    assert fit.beta_se == sig5(0.41411)
    assert (fit.n_failures, fit.n_censored) == (30, 0)


def test_weibull_with_censoring_matches_r_survreg_on_the_lung_data(shared_data: Path) -> None:
    """``survreg(Surv(time, status) ~ 1, dist = 'weibull')``: α = e^coef, β = 1/scale."""
    failures, censored = _lung(shared_data)
    ref = _r_reference(shared_data, "survreg_lung_null_weibull")
    fit = weibull_fit(failures, censored)
    assert fit.alpha == sig5(math.exp(ref["coef"]))
    assert fit.beta == sig5(1 / ref["scale"])
    assert fit.loglik == sig5(ref["loglik"])
    assert (fit.n_failures, fit.n_censored) == (165, 63)
    # R's covariance is of (log α, log 1/β): the delta method gives the same Fisher matrix
    var = np.asarray(ref["var"])
    assert (fit.alpha_se / fit.alpha) ** 2 == sig5(var[0, 0])
    assert (fit.beta_se / fit.beta) ** 2 == sig5(var[1, 1])
    assert -fit.cov_alpha_beta / (fit.alpha * fit.beta) == sig5(var[0, 1])


@pytest.mark.parametrize(
    ("name", "alpha", "beta", "loglik"),
    [
        # Fit_Weibull_2P of reliability 0.9.0 on its own data sets
        ("automotive", 134651.1, 1.154425, -128.97383),
        ("mileage", 33555.225, 3.1371216, -1066.2022),
        ("defective_sample", 10001.46, 0.67734761, -12273.167),
        ("mixture", 220158.6, 1.2671852, -995.26333),
    ],
)
def test_weibull_matches_the_reliability_package_on_its_data_sets(
    shared_data: Path, name: str, alpha: float, beta: float, loglik: float
) -> None:
    data = _json(shared_data, "reliability-0.9.0_Datasets_extracted.json")[name]
    fit = weibull_fit(data["failures"], data.get("right_censored"))
    assert fit.alpha == sig5(alpha)
    assert fit.beta == sig5(beta)
    assert fit.loglik == sig5(loglik)


def test_weibull_finds_a_higher_likelihood_where_the_peer_stops_early(shared_data: Path) -> None:
    """``electronics`` (10 failures, 4,072 censored) has a flat likelihood: the ``reliability``
    package stops at β 0.1749, log-likelihood −144.7065; the true maximum lies higher."""
    data = _json(shared_data, "reliability-0.9.0_Datasets_extracted.json")["electronics"]
    fit = weibull_fit(data["failures"], data["right_censored"])
    assert fit.loglik > -144.7065
    assert fit.beta == pytest.approx(0.15375, rel=1e-3)


def _peer_weibull(failures: Any, censored: Any) -> Any:
    fitters = pytest.importorskip("reliability.Fitters")
    return fitters.Fit_Weibull_2P(
        failures=failures,
        right_censored=censored,
        show_probability_plot=False,
        print_results=False,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weibull_matches_the_reliability_package_on_random_censored_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    lives = 800 * rng.weibull(1.8, size=40)
    stop = rng.uniform(200, 1500, size=40)
    failures, censored = lives[lives <= stop], stop[lives > stop]
    fit = weibull_fit(failures, censored)
    peer = _peer_weibull(failures, censored)
    assert fit.alpha == pytest.approx(peer.alpha, rel=1e-4)
    assert fit.beta == pytest.approx(peer.beta, rel=1e-4)
    assert fit.loglik == pytest.approx(peer.loglik, rel=1e-6)
    assert fit.alpha_ci[0] == pytest.approx(peer.alpha_lower, rel=1e-3)
    assert fit.beta_ci[1] == pytest.approx(peer.beta_upper, rel=1e-3)


# --- Weibull: properties ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    beta=st.floats(0.3, 8.0),
    scale_exp=st.integers(-3, 8),
    n=st.integers(3, 200),
)
def test_the_weibull_fit_is_a_maximum_of_the_likelihood(
    seed: int, beta: float, scale_exp: int, n: int
) -> None:
    """The gradient vanishes and nearby parameters never do better, whatever the unit."""
    rng = np.random.default_rng(seed)
    alpha = 10.0**scale_exp
    lives = alpha * rng.weibull(beta, size=n)
    stop = alpha * rng.uniform(0.2, 3.0, size=n)
    failures, censored = lives[lives <= stop], stop[lives > stop]
    if failures.size < 2 or np.ptp(failures) == 0:
        return
    fit = weibull_fit(failures, censored)
    from servicegate.engines.reliability import _weibull_loglik

    best = _weibull_loglik(failures, censored, fit.alpha, fit.beta)
    assert best == pytest.approx(fit.loglik)
    for da, db in [(1.001, 1), (0.999, 1), (1, 1.001), (1, 0.999), (1.001, 1.001)]:
        assert _weibull_loglik(failures, censored, fit.alpha * da, fit.beta * db) <= best + 1e-9
    assert fit.alpha_ci[0] < fit.alpha < fit.alpha_ci[1]
    assert fit.beta_ci[0] < fit.beta < fit.beta_ci[1]


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_the_fisher_bounds_match_a_numerical_hessian(seed: int) -> None:
    """The closed-form covariance (from the sums of the last Newton step) against the
    inverse of a finite-difference Hessian of the directly evaluated log-likelihood."""
    from servicegate.engines.reliability import _weibull_loglik

    rng = np.random.default_rng(seed)
    lives = 300 * rng.weibull(2.2, size=60)
    stop = rng.uniform(100, 600, size=60)
    failures, censored = lives[lives <= stop], stop[lives > stop]
    fit = weibull_fit(failures, censored)
    ha, hb = fit.alpha * 1e-4, fit.beta * 1e-4

    def ll(a: float, b: float) -> float:
        return _weibull_loglik(failures, censored, a, b)

    a, b = fit.alpha, fit.beta
    h_aa = (ll(a + ha, b) - 2 * ll(a, b) + ll(a - ha, b)) / ha**2
    h_bb = (ll(a, b + hb) - 2 * ll(a, b) + ll(a, b - hb)) / hb**2
    h_ab = (ll(a + ha, b + hb) - ll(a + ha, b - hb) - ll(a - ha, b + hb) + ll(a - ha, b - hb)) / (
        4 * ha * hb
    )
    cov = np.linalg.inv(-np.array([[h_aa, h_ab], [h_ab, h_bb]]))
    assert fit.alpha_se == pytest.approx(math.sqrt(cov[0, 0]), rel=1e-4)
    assert fit.beta_se == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-4)
    assert fit.cov_alpha_beta == pytest.approx(cov[0, 1], rel=1e-3, abs=1e-6)


def test_weibull_fit_functions() -> None:
    fit = WeibullFit(
        alpha=1000.0,
        beta=2.0,
        loglik=0.0,
        alpha_ci=(0.0, 0.0),
        beta_ci=(0.0, 0.0),
        n_failures=2,
        n_censored=0,
    )
    assert fit.reliability(1000.0) == pytest.approx(math.exp(-1))
    assert fit.cdf([0.0, 1000.0]) == pytest.approx([0.0, 1 - math.exp(-1)])
    assert fit.mean_life == pytest.approx(1000 * math.sqrt(math.pi) / 2)
    # conditional on surviving to 500: (F(1000) − F(500)) / R(500)
    expected = (fit.cdf(1000.0) - fit.cdf(500.0)) / fit.reliability(500.0)
    assert fit.expected_failures(500.0, 1000.0) == pytest.approx(float(expected))
    assert fit.expected_failures(0.0, 1000.0) == pytest.approx(1 - math.exp(-1))
    assert fit.expected_failures(700.0, 700.0) == 0.0
    with pytest.raises(ReliabilityDataError, match="lies before"):
        fit.expected_failures(10.0, 5.0)


# --- exponential and Kaplan–Meier against R ----------------------------------------------------


def test_exponential_matches_r_survreg_on_the_lung_data(shared_data: Path) -> None:
    failures, censored = _lung(shared_data)
    ref = _r_reference(shared_data, "survreg_lung_null_exponential")
    fit = exponential_fit(failures, censored)
    assert fit.mean_life == sig5(math.exp(ref["coef"]))
    assert fit.loglik == sig5(ref["loglik"])
    # var(log mean life) = 1/r
    low, high = fit.lambda_ci
    assert math.log(high / fit.lambda_) == sig5(1.959964 * math.sqrt(ref["var"][0]))
    assert fit.reliability(fit.mean_life) == pytest.approx(math.exp(-1))
    assert low < fit.lambda_ < high


@pytest.mark.parametrize("key", ["km_lung", "km_aml_maintained"])
def test_kaplan_meier_matches_r_survfit_with_log_log_bounds(shared_data: Path, key: str) -> None:
    if key == "km_lung":
        failures, censored = _lung(shared_data)
    else:
        columns = _json(shared_data, "surpyval-0.25_fixtures.json")["aml"]["columns"]
        kept = np.asarray(columns["maintained"]) == 1
        time = np.asarray(columns["time"], dtype=float)[kept]
        died = np.asarray(columns["status"])[kept] == 1
        failures, censored = time[died], time[~died]
    ref = _r_reference(shared_data, key)
    km = kaplan_meier(failures, censored)
    # R lists censoring-only times too; compare at the failure times
    at_failure = np.asarray(ref["n_event"]) > 0
    assert km.times == pytest.approx(np.asarray(ref["time"], dtype=float)[at_failure])
    for mine, theirs in [
        (km.survival, "surv"),
        (km.lower, "lower"),
        (km.upper, "upper"),
        (km.std_err, "std_err"),
        (km.at_risk, "n_risk"),
    ]:
        assert mine == pytest.approx(np.asarray(ref[theirs], dtype=float)[at_failure], rel=1e-9)


def test_kaplan_meier_steps() -> None:
    km = kaplan_meier([2, 4, 4, 7], [3, 9])
    assert km.times.tolist() == [2, 4, 7]
    assert km.at_risk.tolist() == [6, 4, 2]
    assert km.survival == pytest.approx([5 / 6, 5 / 6 * 2 / 4, 5 / 6 * 2 / 4 * 1 / 2])
    assert km.at([1, 2, 5, 100]) == pytest.approx([1, 5 / 6, 5 / 12, 5 / 24])


# --- Crow-AMSAA ---------------------------------------------------------------------------------


def test_crow_amsaa_matches_the_reliability_package_on_system_growth(shared_data: Path) -> None:
    """``reliability_growth(model='Crow-AMSAA')``: β 0.614210, λ 0.423942 (failure-terminated)."""
    times = _json(shared_data, "reliability-0.9.0_Datasets_extracted.json")["system_growth"]
    fit = crow_amsaa(times["failures"])
    assert fit.beta == sig5(0.6142104)
    assert fit.lambda_ == sig5(0.42394221)
    assert fit.trend == "improving"
    assert fit.expected_failures(0, fit.end_time) == pytest.approx(22)


def test_crow_amsaa_trend_test_is_the_chi_square_of_a_constant_rate() -> None:
    # time-terminated at 100 with failures at 10, 20, … 90 (a steady machine)
    fit = crow_amsaa(list(range(10, 100, 10)), end_time=100)
    total = sum(math.log(100 / t) for t in range(10, 100, 10))
    assert fit.beta == pytest.approx(9 / total)
    assert fit.lambda_ == pytest.approx(9 / 100**fit.beta)
    assert fit.trend_statistic == pytest.approx(2 * total)
    assert fit.trend_p_value > 0.05 and fit.trend == "constant"


def test_crow_amsaa_sees_wear_out() -> None:
    rng = np.random.default_rng(7)
    # power-law process with β 2.5: T_i = (Γ_i / λ)^(1/β), Γ_i the arrival times of a unit Poisson
    arrivals = np.cumsum(rng.exponential(size=40))
    fit = crow_amsaa(arrivals ** (1 / 2.5))
    assert 1.8 < fit.beta < 3.5
    assert fit.trend == "worsening"


def test_crow_amsaa_p_values_of_a_constant_rate_are_uniform() -> None:
    rng = np.random.default_rng(11)
    p = [
        crow_amsaa(np.sort(rng.uniform(0, 100, size=15)), end_time=100).trend_p_value
        for _ in range(2000)
    ]
    assert np.mean(np.asarray(p) < 0.05) == pytest.approx(0.05, abs=0.015)


# --- age replacement ----------------------------------------------------------------------------


def test_age_replacement_reference_case() -> None:
    """β 2.5, η 1000, Cp 1, Cf 5: T* ≈ 493.05, cost rate ≈ 0.0034620."""
    result = optimal_replacement_interval(alpha=1000, beta=2.5, cost_preventive=1, cost_failure=5)
    assert result.interval == sig5(493.05)
    assert result.cost_rate == sig5(0.0034620)
    assert result.cost_rate_run_to_failure == sig5(5 / (1000 * math.gamma(1.4)))
    assert result.cost_rate is not None
    assert result.saving == pytest.approx(result.cost_rate_run_to_failure - result.cost_rate)
    assert result.reason is None


def test_the_interval_minimises_the_numerically_integrated_cost_rate() -> None:
    alpha, beta, cp, cf = 1000.0, 2.5, 1.0, 5.0

    def brute(t: float) -> float:
        r = math.exp(-((t / alpha) ** beta))
        area = integrate.quad(lambda x: math.exp(-((x / alpha) ** beta)), 0, t)[0]
        return float((cp * r + cf * (1 - r)) / area)

    result = optimal_replacement_interval(
        alpha=alpha, beta=beta, cost_preventive=cp, cost_failure=cf
    )
    assert result.interval is not None
    assert brute(result.interval) == pytest.approx(result.cost_rate, rel=1e-9)
    grid = np.linspace(50, 3000, 400)
    rates = age_replacement_cost_rate(
        grid, alpha=alpha, beta=beta, cost_preventive=cp, cost_failure=cf
    )
    assert rates.min() >= result.cost_rate - 1e-12  # type: ignore[operator]
    assert [brute(t) for t in grid[::50]] == pytest.approx(rates[::50].tolist(), rel=1e-8)


@pytest.mark.parametrize("beta", [0.5, 1.0])
def test_no_interval_when_the_failure_rate_does_not_increase(beta: float) -> None:
    result = optimal_replacement_interval(alpha=1000, beta=beta, cost_preventive=1, cost_failure=5)
    assert result.interval is None and result.cost_rate is None and result.saving is None
    assert result.reason is not None and "does not increase" in result.reason
    assert result.cost_rate_run_to_failure == pytest.approx(5 / (1000 * math.gamma(1 + 1 / beta)))


def test_a_slightly_wearing_part_gets_a_late_interval() -> None:
    close = optimal_replacement_interval(alpha=1.0, beta=1.05, cost_preventive=1, cost_failure=1.5)
    far = optimal_replacement_interval(alpha=1.0, beta=4.0, cost_preventive=1, cost_failure=100)
    assert close.interval is None or close.interval > far.interval  # type: ignore[operator]
    assert far.interval is not None and far.interval < 0.5


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "censored", "sentence"),
    [
        ([5.0], None, "at least 2 failure times; got 1, so the data are too few."),
        ([], [3.0], "at least 2 failure times; got 0"),
        ([5.0, -1.0], None, "The failure times must be positive ages; -1 is zero or negative."),
        ([5.0, 0.0], None, "0 is zero or negative"),
        ([5.0, 6.0], [0.0], "The censored times must be positive ages"),
        ([5.0, float("nan")], None, "The failure times must be finite numbers."),
        (["a", "b"], None, "The failure times must be numbers."),
        ([4.0, 4.0, 4.0], [2.0], "All 3 failures happened at the same age 4"),
    ],
)
def test_weibull_refuses_bad_life_data_with_one_sentence(
    failures: Any, censored: Any, sentence: str
) -> None:
    with pytest.raises(ReliabilityDataError) as info:
        weibull_fit(failures, censored)
    message = str(info.value)
    assert sentence in message
    assert message.endswith(".") and message.count(". ") == 0


def test_the_other_fits_refuse_bad_data() -> None:
    with pytest.raises(ReliabilityDataError, match="at least 1 failure time"):
        exponential_fit([], [3.0])
    with pytest.raises(ReliabilityDataError, match="positive ages"):
        kaplan_meier([1.0, -2.0])
    with pytest.raises(ReliabilityDataError, match="at least 2 failure times"):
        crow_amsaa([4.0])
    with pytest.raises(ReliabilityDataError, match="lies before the last failure"):
        crow_amsaa([4.0, 9.0], end_time=5.0)
    with pytest.raises(ReliabilityDataError, match="confidence level"):
        weibull_fit([1.0, 2.0], ci=1.5)


@pytest.mark.parametrize(
    ("kwargs", "sentence"),
    [
        ({"cost_preventive": 5, "cost_failure": 5}, "must be higher than the preventive cost"),
        ({"cost_preventive": 5, "cost_failure": 1}, "must be higher than the preventive cost"),
        ({"cost_preventive": 0, "cost_failure": 1}, "The preventive cost must be a positive"),
        ({"cost_preventive": 1, "cost_failure": 5, "alpha": -1}, "scale α must be a positive"),
        ({"cost_preventive": 1, "cost_failure": 5, "beta": 0}, "shape β must be a positive"),
    ],
)
def test_replacement_refuses_bad_costs_with_one_sentence(
    kwargs: dict[str, float], sentence: str
) -> None:
    arguments: dict[str, float] = {"alpha": 1000.0, "beta": 2.5, **kwargs}
    with pytest.raises(ReliabilityDataError, match=sentence):
        optimal_replacement_interval(**arguments)
