"""Erlang B, C and A: waiting, service level and the agents a target needs.

All times are in seconds and all rates per second. The offered load is
``A = λ · AHT`` Erlangs for an arrival rate ``λ`` and an average handling time ``AHT``.

Models
------
* **Erlang C** (M/M/n, infinitely patient callers)::

      B(0) = 1,  B(k) = A·B(k−1) / (k + A·B(k−1))          Erlang B recursion
      C    = n·B(n) / (n − A·(1 − B(n)))                     P(wait), needs n > A
      SL(t) = 1 − C · exp(−(n − A) · t / AHT)
      ASA   = C · AHT / (n − A)
      occupancy = A / n

  B(n) is evaluated as ``pmf / cdf`` of a Poisson(A) variable with
  ``scipy.special.gammaincc`` (no factorials), so 10,000 and more agents are fine.

* **Erlang A** (M/M/n+M, Palm's model with exponential patience of mean ``1/θ``).
  With ``μ = 1/AHT``, ``x = nμ/θ``, ``y = λ/θ`` and the series
  ``S(x, z) = Σ_{j≥0} z^j / (x(x+1)…(x+j)) = e^z z^(−x) γ(x, z)``
  (``γ`` the lower incomplete gamma function), the probability that all agents
  are busy at an arrival is (Garnett, Mandelbaum & Reiman 2002; Zeltyn 2005)::

      π_n     = B(n) / (1 + (x·S(x, y) − 1) · B(n))
      P(wait) = x · S(x, y) · π_n
      P(abandon) = P(wait) − x · S(x+1, y) · π_n
      ASA (mean wait of all arrivals, Little's law) = P(abandon) / θ

  The virtual wait ``V`` has density ``f(v) = π_n·nμ·exp(−nμv + y(1 − e^(−θv)))``
  on ``v > 0``. The service level counts abandoned contacts as misses: the share
  of all arrivals answered within ``t`` is ``P(V = 0) + ∫₀ᵗ f(v) e^(−θv) dv``::

      SL(t) = 1 − P(wait) + x·π_n·[S(x+1, y) − e^(−(nμ+θ)t) · e^(y−z) · S(x+1, z)],
      z = y·e^(−θt)

References: A. K. Erlang (1917); O. Garnett, A. Mandelbaum, M. Reiman,
"Designing a call center with impatient customers", M&SOM 4(3), 2002;
A. Mandelbaum, S. Zeltyn, "The Palm/Erlang-A queue, with applications to call
centers" (2007); S. Halfin, W. Whitt, Oper. Res. 29(3), 1981 (square-root staffing).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from scipy import special

__all__ = [
    "PlanningInputError",
    "QueueMetrics",
    "StaffingResult",
    "UnreachableTargetError",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "offered_load",
    "required_agents",
]

# Below this value scipy's regularised incomplete gamma has lost its relative
# precision to underflow; the direct series is then short and exact.
_GAMMAINC_FLOOR = 1e-250
_SERIES_EPS = 1e-17
_SERIES_MAX_TERMS = 1_000_000  # a bound, so no input can make the sum run for ever


class PlanningInputError(ValueError):
    """An input to a planning engine is outside its valid range.

    The message is a whole sentence that names the parameter and says what to do.
    """


class UnreachableTargetError(PlanningInputError):
    """The target cannot be met within the allowed number of agents."""


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    """Steady-state figures of one staffing level.

    ``service_level`` is the share of all arrivals answered within
    ``answer_within_seconds`` (abandoned contacts are misses); ``asa_seconds`` is
    the mean wait over all arrivals, zero waits included; ``occupancy`` is the
    carried load per agent; ``p_abandon`` is zero for Erlang C.
    """

    model: str
    agents: int
    offered_load: float
    p_wait: float
    service_level: float
    asa_seconds: float
    occupancy: float
    p_abandon: float
    answer_within_seconds: float

    def to_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Agents needed on the phones and positions to roster after shrinkage.

    ``positions = ceil(agents / (1 − shrinkage))``.
    """

    agents: int
    positions: int
    shrinkage: float
    metrics: QueueMetrics

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a flat JSON-ready dict."""
        return {
            "agents": self.agents,
            "positions": self.positions,
            "shrinkage": self.shrinkage,
            **{k: v for k, v in self.metrics.to_dict().items() if k != "agents"},
        }


# --- input checks ---------------------------------------------------------------


def _require_positive(name: str, value: float, what: str) -> None:
    if not (math.isfinite(value) and value > 0):
        raise PlanningInputError(f"The {what} ({name}={value!r}) must be a positive number.")


def _require_non_negative(name: str, value: float, what: str) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise PlanningInputError(f"The {what} ({name}={value!r}) must be zero or positive.")


def _require_agents(agents: int) -> None:
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 1:
        raise PlanningInputError(f"The number of agents (agents={agents!r}) must be at least 1.")


def check_service_level(name: str, value: float) -> None:
    """Refuse a service-level or attainment target outside the open interval (0, 1)."""
    if not (math.isfinite(value) and 0 < value < 1):
        raise PlanningInputError(
            f"The target service level ({name}={value!r}) must lie strictly between 0 and 1, "
            "for example 0.8 for 80 %."
        )


def check_shrinkage(value: float) -> None:
    """Refuse a shrinkage outside [0, 1)."""
    if not (math.isfinite(value) and 0 <= value < 1):
        raise PlanningInputError(
            f"The shrinkage (shrinkage={value!r}) must be at least 0 and below 1, "
            "for example 0.3 for 30 % of paid time off the phones."
        )


def check_max_occupancy(value: float) -> None:
    """Refuse a maximum occupancy outside (0, 1]."""
    if not (math.isfinite(value) and 0 < value <= 1):
        raise PlanningInputError(
            f"The maximum occupancy (max_occupancy={value!r}) must be above 0 and at most 1, "
            "for example 0.85."
        )


# --- Erlang B and the incomplete-gamma series -------------------------------------


def offered_load(arrival_rate: float, aht_seconds: float) -> float:
    """Offered load ``A = λ · AHT`` in Erlangs (λ per second, AHT in seconds)."""
    _require_positive("arrival_rate", arrival_rate, "arrival rate per second")
    _require_positive("aht_seconds", aht_seconds, "average handling time in seconds")
    return arrival_rate * aht_seconds


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of M/M/n/n, ``B(n, A) = (Aⁿ/n!) / Σ_{k≤n} Aᵏ/k!``.

    Computed as Poisson ``pmf(n) / cdf(n)`` in log space; when the cdf underflows
    (``n ≪ A``) the inverse series ``1/B = Σ_i Π_{m<i} (n−m)/A`` is summed instead.
    """
    _require_agents(agents)
    _require_positive("load", load, "offered load in Erlangs")
    return math.exp(_log_erlang_b(agents, load))


def _log_erlang_b(agents: int, load: float) -> float:
    cdf = float(special.gammaincc(agents + 1, load))
    if cdf > _GAMMAINC_FLOOR:
        log_pmf = agents * math.log(load) - load - math.lgamma(agents + 1)
        return min(0.0, log_pmf - math.log(cdf))
    total, term, m = 1.0, 1.0, 0
    while term > _SERIES_EPS * total and m < agents:
        term *= (agents - m) / load
        total += term
        m += 1
    return -math.log(total)


def erlang_c(agents: int, load: float) -> float:
    """Probability of waiting in M/M/n, ``C = nB / (n − A(1 − B))``; needs ``n > A``."""
    b = erlang_b(agents, load)
    if agents <= load:
        raise PlanningInputError(
            f"The offered load ({load:.4g} Erlangs) must be below the number of agents "
            f"(agents={agents}) for Erlang C; add agents or give a patience for Erlang A."
        )
    return agents * b / (agents - load * (1.0 - b))


def _log_series(x: float, z: float) -> float:
    """``log S(x, z)`` with ``S(x, z) = Σ_{j≥0} z^j / (x(x+1)…(x+j)) = e^z z^(−x) γ(x, z)``."""
    if z <= 0:
        return -math.log(x)
    p = float(special.gammainc(x, z))
    if p > _GAMMAINC_FLOOR:
        return z - x * math.log(z) + math.lgamma(x) + math.log(p)
    # Underflow only happens for z far below x, where the terms shrink fast.
    total, term, j = 1.0, 1.0, 0
    while term > _SERIES_EPS * total and j < _SERIES_MAX_TERMS:
        j += 1
        term *= z / (x + j)
        total += term
    return math.log(total) - math.log(x)


def _log_add(a: float, b: float) -> float:
    """``log(e^a + e^b)`` without overflow."""
    hi, lo = (a, b) if a >= b else (b, a)
    return hi if lo == -math.inf else hi + math.log1p(math.exp(lo - hi))


# --- Erlang C and A metrics ---------------------------------------------------------


def _erlang_c_metrics(agents: int, load: float, aht: float, within: float) -> QueueMetrics:
    c = erlang_c(agents, load)
    gap = agents - load
    return QueueMetrics(
        model="erlang_c",
        agents=agents,
        offered_load=load,
        p_wait=c,
        service_level=1.0 - c * math.exp(-gap * within / aht),
        asa_seconds=c * aht / gap,
        occupancy=load / agents,
        p_abandon=0.0,
        answer_within_seconds=within,
    )


def _erlang_a_metrics(
    agents: int, rate: float, aht: float, patience: float, within: float
) -> QueueMetrics:
    theta, mu = 1.0 / patience, 1.0 / aht
    load = rate * aht
    x, y = agents * mu / theta, rate / theta
    log_b = _log_erlang_b(agents, load)
    # Everything in logs: x·S(x, y) overflows when agents are far below the load.
    log_xs = math.log(x) + _log_series(x, y)  # log of Zeltyn's A(x, y)
    log_not_b = math.log1p(-math.exp(log_b)) if log_b < 0 else -math.inf
    log_pi_n = log_b - _log_add(log_not_b, log_b + log_xs)
    log_s1 = math.log(x) + _log_series(x + 1.0, y) + log_pi_n
    p_wait = min(1.0, math.exp(log_xs + log_pi_n))
    p_abandon = max(0.0, p_wait - math.exp(log_s1))
    z = y * math.exp(-theta * within)
    log_late = (
        math.log(x) + log_pi_n - (agents * mu + theta) * within + (y - z) + _log_series(x + 1.0, z)
    )
    answered_in_queue = math.exp(log_s1) - math.exp(log_late)
    return QueueMetrics(
        model="erlang_a",
        agents=agents,
        offered_load=load,
        p_wait=p_wait,
        service_level=min(1.0, max(0.0, 1.0 - p_wait + answered_in_queue)),
        asa_seconds=p_abandon / theta,
        occupancy=min(1.0, load * (1.0 - p_abandon) / agents),
        p_abandon=p_abandon,
        answer_within_seconds=within,
    )


def erlang_c_metrics(
    *, agents: int, arrival_rate: float, aht_seconds: float, answer_within_seconds: float
) -> QueueMetrics:
    """Erlang C figures for ``agents`` agents (see the module docstring for formulas).

    Raises :class:`PlanningInputError` unless ``agents`` exceeds the offered load.
    """
    _require_agents(agents)
    load = offered_load(arrival_rate, aht_seconds)
    _require_non_negative("answer_within_seconds", answer_within_seconds, "answer-within time")
    return _erlang_c_metrics(agents, load, aht_seconds, answer_within_seconds)


def erlang_a(
    *,
    agents: int,
    arrival_rate: float,
    aht_seconds: float,
    patience_seconds: float,
    answer_within_seconds: float,
) -> QueueMetrics:
    """Erlang A (M/M/n+M) figures; callers abandon after an Exp(mean ``patience``) wait.

    Any number of agents is valid, also below the offered load. As the patience
    grows the figures tend to Erlang C.
    """
    _require_agents(agents)
    load = offered_load(arrival_rate, aht_seconds)
    _require_positive("patience_seconds", patience_seconds, "mean patience in seconds")
    _require_non_negative("answer_within_seconds", answer_within_seconds, "answer-within time")
    del load
    return _erlang_a_metrics(
        agents, arrival_rate, aht_seconds, patience_seconds, answer_within_seconds
    )


# --- staffing ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Targets:
    service_level: float | None
    asa_seconds: float | None
    max_occupancy: float


def _meets(m: QueueMetrics, targets: _Targets) -> bool:
    if targets.service_level is not None and m.service_level < targets.service_level:
        return False
    if targets.asa_seconds is not None and m.asa_seconds > targets.asa_seconds:
        return False
    return m.occupancy <= targets.max_occupancy * (1 + 1e-12)


def _halfin_whitt_p_wait(beta: float) -> float:
    """Halfin–Whitt limit of P(wait) for ``n = A + β√A``: ``1 / (1 + βΦ(β)/φ(β))``."""
    cdf = 0.5 * (1.0 + math.erf(beta / math.sqrt(2.0)))
    pdf = math.exp(-0.5 * beta * beta) / math.sqrt(2.0 * math.pi)
    return 1.0 / (1.0 + beta * cdf / pdf)


def _square_root_guess(load: float, aht: float, within: float, targets: _Targets) -> int:
    """Initial agents ``A + β√A`` from the Halfin–Whitt approximation, β by bisection."""
    root = math.sqrt(load)

    def ok(beta: float) -> bool:
        c = _halfin_whitt_p_wait(beta)
        sl = targets.service_level
        if sl is not None and c * math.exp(-beta * root * within / aht) > 1.0 - sl:
            return False
        return targets.asa_seconds is None or c * aht <= targets.asa_seconds * beta * root

    lo, hi = 1e-6, 1.0
    while not ok(hi) and hi < 64.0:
        lo, hi = hi, hi * 2.0
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return math.ceil(load + hi * root)


def _smallest_meeting(
    evaluate: Any, targets: _Targets, lowest: int, guess: int, limit: int
) -> QueueMetrics | None:
    """Smallest ``n`` in ``[lowest, limit]`` whose metrics meet the targets.

    Gallops from ``guess`` (steps 1, 2, 4, …) to bracket the answer, then bisects;
    every figure is monotone in ``n``, so this takes ``O(log distance)`` evaluations.
    """
    n = min(max(guess, lowest), limit)
    m = evaluate(n)
    step = 1
    if _meets(m, targets):
        good, good_m, bad = n, m, lowest - 1
        while good - step >= lowest:
            probe = evaluate(good - step)
            if not _meets(probe, targets):
                bad = good - step
                break
            good, good_m, step = good - step, probe, step * 2
    else:
        bad = n
        while True:
            if bad == limit:
                return None
            probe_n = min(bad + step, limit)
            probe = evaluate(probe_n)
            if _meets(probe, targets):
                good, good_m = probe_n, probe
                break
            bad, step = probe_n, step * 2
    while good - bad > 1:
        mid = (good + bad) // 2
        probe = evaluate(mid)
        if _meets(probe, targets):
            good, good_m = mid, probe
        else:
            bad = mid
    return good_m  # type: ignore[no-any-return]


def _check_staffing_inputs(
    target_service_level: float | None,
    target_asa_seconds: float | None,
    shrinkage: float,
    max_occupancy: float,
    max_agents: int | None,
) -> None:
    if target_service_level is None and target_asa_seconds is None:
        raise PlanningInputError(
            "Give a target: a service level (target_service_level) or an average speed of "
            "answer (target_asa_seconds)."
        )
    if target_service_level is not None:
        check_service_level("target_service_level", target_service_level)
    if target_asa_seconds is not None:
        _require_positive(
            "target_asa_seconds", target_asa_seconds, "target average speed of answer"
        )
    check_shrinkage(shrinkage)
    check_max_occupancy(max_occupancy)
    if max_agents is not None:
        _require_agents(max_agents)


def required_agents(
    *,
    arrival_rate: float,
    aht_seconds: float,
    answer_within_seconds: float = 0.0,
    target_service_level: float | None = None,
    target_asa_seconds: float | None = None,
    patience_seconds: float | None = None,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    max_agents: int | None = None,
) -> StaffingResult:
    """Fewest agents that meet every given target, and the positions after shrinkage.

    Erlang C, or Erlang A when ``patience_seconds`` is given. Targets: service level
    within ``answer_within_seconds`` (``0 < target < 1``), average speed of answer
    (seconds), and occupancy ``≤ max_occupancy``. The search starts at the
    square-root-staffing guess and is bounded by ``max_agents`` (default: the load
    plus 100 standard deviations), so it always ends. ``positions`` is
    ``ceil(agents / (1 − shrinkage))``.

    Raises :class:`UnreachableTargetError` when the offered load is at or above
    ``max_agents`` (Erlang C) or no staffing up to the limit meets the targets.
    """
    load = offered_load(arrival_rate, aht_seconds)
    _require_non_negative("answer_within_seconds", answer_within_seconds, "answer-within time")
    if patience_seconds is not None:
        _require_positive("patience_seconds", patience_seconds, "mean patience in seconds")
    _check_staffing_inputs(
        target_service_level, target_asa_seconds, shrinkage, max_occupancy, max_agents
    )
    targets = _Targets(target_service_level, target_asa_seconds, max_occupancy)
    limit = max_agents or math.ceil(load + 100.0 * math.sqrt(load) + 100.0)
    lowest = 1
    if patience_seconds is None:
        lowest = max(1, math.ceil(load / max_occupancy * (1 - 1e-12)))
        if load >= limit:
            raise UnreachableTargetError(
                f"The offered load ({load:.4g} Erlangs) is at or above the agent limit "
                f"(max_agents={limit}); raise max_agents, lower the arrivals or the handling time."
            )
        lowest = max(lowest, math.floor(load) + 1)

    def evaluate(n: int) -> QueueMetrics:
        if patience_seconds is None:
            return _erlang_c_metrics(n, load, aht_seconds, answer_within_seconds)
        return _erlang_a_metrics(
            n, arrival_rate, aht_seconds, patience_seconds, answer_within_seconds
        )

    guess = _square_root_guess(load, aht_seconds, answer_within_seconds, targets)
    found = _smallest_meeting(evaluate, targets, lowest, guess, limit) if lowest <= limit else None
    if found is None:
        raise UnreachableTargetError(
            f"No staffing up to the agent limit (max_agents={limit}) meets the target; "
            "raise max_agents or relax the service-level, speed-of-answer or occupancy target."
        )
    positions = math.ceil(found.agents / (1.0 - shrinkage) - 1e-9)
    return StaffingResult(found.agents, positions, shrinkage, found)
