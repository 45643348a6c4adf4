"""Gate 1 — can a proposed service promise be kept? Pure computation, no Django.

A promise such as "95 % of P2 incidents responded to within 4 business hours,
measured per month" is checked against the expected load and today's staff.

Per-ticket probability ``p`` that one ticket meets the target (analytic method;
business time: arrivals of the period are worked in its open hours only, so the
business-time arrival rate is ``λ_b = N / (period · open_fraction)``):

* response:   ``p = P(W ≤ t) = 1 − C · exp(−δ t)``
* resolution: ``p = P(W + S ≤ t) = E_S[ 1{S ≤ t} · (1 − C · exp(−δ (t − S))) ]``

with ``C`` the Erlang C probability of waiting, ``δ = (n − A) / AHT · 2 / (1 + c_s²)``
(Allen–Cunneen correction for a handling-time coefficient of variation ``c_s``;
``c_s = 1`` without samples, where ``S`` is exponential and the expectation has
a closed form).

Probability that the promise is met over the period: the attainment over
``N ≈ expected tickets`` is binomial around ``p``::

    P(met) = P(X ≥ ⌈level · N_eff⌉),  X ~ Binomial(N_eff, p),  N_eff = N / design_effect

Tickets are taken to arrive during open hours (at the business-time rate).
``design_effect`` (≥ 1) widens the spread for tickets whose waits are
correlated (busy days hit many tickets at once); the simulation method
(``method="simulation"``) needs no such factor: it replicates the whole period
with the business-hours schedule and counts the replications that meet the level.

Historical attainment of comparable promises: share met with a 95 % Wilson
score interval (``attainment.wilson_interval``, the one the measurement uses;
E. B. Wilson, JASA 22, 1927). It *supports* the promise when the share is at least
the level, *contradicts* it when even the upper bound is below, and is *uncertain*
in between.

Verdict (thresholds are :class:`VerdictThresholds`, defaults shown):

* **green** — ``P(met) ≥ 0.9`` and history absent or supporting;
* **red** — ``P(met) < 0.5``, or history contradicts the promise;
* **amber** — everything else (``0.5 ≤ P(met) < 0.9``, or uncertain history).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from servicegate.engines import simulation as sim
from servicegate.engines.attainment import wilson_interval
from servicegate.engines.queueing import (
    PlanningInputError,
    check_service_level,
    erlang_c,
)

__all__ = [
    "FeasibilityAssessment",
    "PromiseProposal",
    "VerdictThresholds",
    "assess_promise",
]

Metric = Literal["response", "resolution"]
_MONDAY = 4 * 86400.0  # 1970-01-05 00:00 UTC, a Monday: simulated periods start there.


@dataclass(frozen=True)
class PromiseProposal:
    """The promise under review.

    ``target_seconds`` is business time; ``attainment`` the share of tickets that
    must meet it (0 < level < 1); ``period_seconds`` the wall-clock measuring
    period (e.g. 30 days). ``open_fraction`` is the share of the period that is
    business time (default: ``schedule.open_fraction`` if the schedule has one,
    else 1); ``schedule`` is used by the simulation method.
    """

    metric: Metric
    target_seconds: float
    attainment: float
    period_seconds: float
    open_fraction: float | None = None
    schedule: sim.Schedule | None = None

    @property
    def business_fraction(self) -> float:
        if self.open_fraction is not None:
            return self.open_fraction
        return float(getattr(self.schedule, "open_fraction", 1.0))

    def check(self) -> None:
        """Refuse out-of-range inputs with a sentence naming the parameter."""
        if self.metric not in ("response", "resolution"):
            raise PlanningInputError(
                f"The promise metric (metric={self.metric!r}) must be 'response' or 'resolution'."
            )
        _positive("target_seconds", self.target_seconds, "promised target in business seconds")
        check_service_level("attainment", self.attainment)
        _positive("period_seconds", self.period_seconds, "measuring period in seconds")
        f = self.business_fraction
        if not (math.isfinite(f) and 0 < f <= 1):
            raise PlanningInputError(
                f"The open-hours fraction (open_fraction={f!r}) must be above 0 and at most 1."
            )


@dataclass(frozen=True)
class VerdictThresholds:
    """``green`` and ``red`` bounds on the probability that the promise is met."""

    green: float = 0.9
    red: float = 0.5

    def __post_init__(self) -> None:
        if not 0 < self.red < self.green < 1:
            raise PlanningInputError(
                "The verdict thresholds must satisfy 0 < red < green < 1, e.g. red=0.5, green=0.9."
            )


@dataclass(frozen=True)
class FeasibilityAssessment:
    """Evidence for Gate 1: the numbers behind the verdict and the reasons in words."""

    verdict: Literal["green", "amber", "red"]
    probability_met: float
    per_ticket_probability: float
    expected_tickets: float
    agents: int
    offered_load: float
    occupancy: float
    confidence: float
    staffing_needed: int | None
    history_attainment: float | None
    history_ci95: tuple[float, float] | None
    history_tickets: int
    history_status: Literal["none", "supports", "uncertain", "contradicts"]
    method: str
    thresholds: VerdictThresholds
    reasons: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready evidence."""
        out = asdict(self)
        out["history_ci95"] = list(self.history_ci95) if self.history_ci95 else None
        out["reasons"] = list(self.reasons)
        return out


def _positive(name: str, value: float, what: str) -> None:
    if not (math.isfinite(value) and value > 0):
        raise PlanningInputError(f"The {what} ({name}={value!r}) must be a positive number.")


# --- history -----------------------------------------------------------------------------------


def _history(
    history: Sequence[bool] | NDArray[np.bool_] | None, level: float
) -> tuple[float | None, tuple[float, float] | None, int, Any]:
    if history is None or len(history) == 0:
        return None, None, 0, "none"
    met = np.asarray(history, dtype=bool)
    share = float(met.mean())
    low, high = wilson_interval(int(met.sum()), int(met.size))
    status = "supports" if share >= level else ("contradicts" if high < level else "uncertain")
    return share, (low, high), int(met.size), status


# --- analytic per-ticket probability ------------------------------------------------------------


@dataclass(frozen=True)
class _Load:
    rate: float  # tickets per business second
    aht: float
    cv2: float
    samples: NDArray[np.float64] | None


def _per_ticket(load: _Load, agents: int, metric: Metric, target: float) -> float:
    """Probability that one ticket meets ``target`` business seconds (0 if overloaded)."""
    a = load.rate * load.aht
    if agents <= a:
        return 0.0
    c = erlang_c(agents, a)
    delta = (agents - a) / load.aht * 2.0 / (1.0 + load.cv2)
    if metric == "response":
        return 1.0 - c * math.exp(-delta * target)
    if load.samples is not None:
        s = load.samples
        ok = s <= target
        return float(
            np.mean(np.where(ok, 1.0 - c * np.exp(-delta * (target - np.minimum(s, target))), 0.0))
        )
    mu = 1.0 / load.aht
    if abs(delta - mu) < 1e-12 * mu:
        tail = (1.0 + mu * target) * math.exp(-mu * target)
    else:
        tail = (delta * math.exp(-mu * target) - mu * math.exp(-delta * target)) / (delta - mu)
    return 1.0 - ((1.0 - c) * math.exp(-mu * target) + c * tail)


def _p_met(p: float, tickets: float, level: float, design_effect: float) -> float:
    n = max(1, round(tickets / design_effect))
    need = math.ceil(level * n - 1e-9)
    return float(stats.binom.sf(need - 1, n, min(max(p, 0.0), 1.0)))


def _staffing_needed(
    load: _Load, promise: PromiseProposal, tickets: float, confidence: float, deff: float
) -> int | None:
    """Fewest agents whose ``P(met)`` reaches ``confidence``; None if no staffing can."""
    a = load.rate * load.aht

    def ok(n: int) -> bool:
        p = _per_ticket(load, n, promise.metric, promise.target_seconds)
        return _p_met(p, tickets, promise.attainment, deff) >= confidence

    limit = math.ceil(a + 100 * math.sqrt(a) + 100)
    if not ok(limit):
        return None
    bad, step = math.floor(a), 1
    good = bad + 1
    while not ok(good):  # gallop up, then bisect
        bad, good, step = good, min(good + step, limit), step * 2
    while good - bad > 1:
        mid = (good + bad) // 2
        bad, good = (bad, mid) if ok(mid) else (mid, good)
    return good


# --- simulation method -------------------------------------------------------------------------


@dataclass(frozen=True)
class _SimSetup:
    promise: PromiseProposal
    rate: float  # tickets per business second, arriving in open hours only
    horizon: float
    service: sim.Sampler
    schedule: sim.Schedule
    seeds: tuple[np.random.SeedSequence, ...]


def _sim_setup(
    promise: PromiseProposal, tickets: float, load: _Load, rng: np.random.Generator, reps: int
) -> _SimSetup:
    # Tickets arrive in open hours at the business-time rate; without a calendar
    # the period is compressed to its business time.
    schedule = promise.schedule or sim.ALWAYS_OPEN
    horizon = promise.period_seconds
    if promise.schedule is None:
        horizon *= promise.business_fraction
    rate = load.rate
    service = sim.empirical(load.samples) if load.samples is not None else sim.exponential(load.aht)
    seeds = tuple(np.random.SeedSequence(int(rng.integers(2**63))).spawn(reps))
    return _SimSetup(promise, rate, horizon, service, schedule, seeds)


def _simulate(setup: _SimSetup, agents: int) -> tuple[float, float]:
    """(per-ticket probability, share of replications meeting the level), same seeds for all n."""
    warm = 7 * 86400.0
    end = _MONDAY + warm + setup.horizon
    arrivals = sim.open_hours_rate(setup.schedule, _MONDAY, end, setup.rate)
    cls = sim.CustomerClass("tickets", arrivals, setup.service)
    model = sim.QueueModel(
        classes=(cls,),
        groups=(sim.AgentGroup("staff", agents, ("tickets",)),),
        answer_within_seconds=setup.promise.target_seconds,
        resolve_within_seconds=setup.promise.target_seconds,
        schedule=setup.schedule,
        warmup_seconds=warm,
    )
    shares, met_total, n_total = [], 0, 0
    for seed in setup.seeds:
        run = sim.simulate(model, sim.generator_from(seed))
        times = (
            run.response_seconds if setup.promise.metric == "response" else run.resolution_seconds
        )
        met = times <= setup.promise.target_seconds + 1e-9
        met_total, n_total = met_total + int(met.sum()), n_total + met.size
        shares.append(float(met.mean()) if met.size else 1.0)
    level = setup.promise.attainment
    return met_total / max(n_total, 1), float(np.mean(np.asarray(shares) >= level))


def _sim_staffing(
    setup: _SimSetup, start: int, load_erlangs: float, confidence: float
) -> int | None:
    limit = math.ceil(load_erlangs + 100 * math.sqrt(load_erlangs) + 100)
    bad, good, step = math.floor(load_erlangs), max(start, math.floor(load_erlangs) + 1), 1
    while _simulate(setup, good)[1] < confidence:
        if good >= limit:
            return None
        bad, good, step = good, min(good + step, limit), step * 2
    while good - bad > 1:
        mid = (good + bad) // 2
        bad, good = (bad, mid) if _simulate(setup, mid)[1] >= confidence else (mid, good)
    return good


# --- the assessment ------------------------------------------------------------------------------


def _load(
    promise: PromiseProposal,
    tickets: float,
    aht: float,
    samples: Sequence[float] | NDArray[np.float64] | None,
) -> _Load:
    rate = tickets / (promise.period_seconds * promise.business_fraction)
    if samples is None:
        return _Load(rate, aht, 1.0, None)
    s = np.asarray(samples, dtype=np.float64)
    if s.size == 0 or not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise PlanningInputError(
            "The handling-time samples (handling_samples) must be a non-empty list of "
            "positive seconds."
        )
    mean = float(s.mean())
    return _Load(rate, mean, float(s.var() / (mean * mean)), s)


def _verdict(p_met: float, status: str, t: VerdictThresholds) -> Literal["green", "amber", "red"]:
    if p_met < t.red or status == "contradicts":
        return "red"
    if p_met >= t.green and status in ("none", "supports"):
        return "green"
    return "amber"


def _reasons(a: FeasibilityAssessment, promise: PromiseProposal) -> tuple[str, ...]:
    lines = [
        f"With {a.agents} agents and {a.expected_tickets:.0f} expected tickets the chance of "
        f"meeting {promise.attainment:.0%} within the target is {a.probability_met:.0%} "
        f"(per ticket {a.per_ticket_probability:.1%}, occupancy {a.occupancy:.0%}).",
    ]
    if a.staffing_needed is None:
        lines.append(
            f"No staffing reaches {a.confidence:.0%} confidence: the handling time alone "
            "misses the target too often."
        )
    else:
        lines.append(f"{a.staffing_needed} agents reach {a.confidence:.0%} confidence.")
    if a.history_ci95 is not None and a.history_attainment is not None:
        low, high = a.history_ci95
        lines.append(
            f"Comparable promises were met on {a.history_attainment:.1%} of "
            f"{a.history_tickets} tickets "
            f"(95 % interval {low:.1%}–{high:.1%}): the history {a.history_status} the promise."
        )
    else:
        lines.append("There is no history of comparable promises.")
    return tuple(lines)


def assess_promise(
    promise: PromiseProposal,
    *,
    expected_arrivals: float,
    aht_seconds: float,
    agents: int,
    extra_arrivals: float = 0.0,
    handling_samples: Sequence[float] | NDArray[np.float64] | None = None,
    history: Sequence[bool] | NDArray[np.bool_] | None = None,
    confidence: float = 0.9,
    thresholds: VerdictThresholds | None = None,
    design_effect: float = 1.0,
    method: Literal["analytic", "simulation"] = "analytic",
    rng: np.random.Generator | None = None,
    replications: int = 100,
) -> FeasibilityAssessment:
    """Assess ``promise`` for ``expected_arrivals + extra_arrivals`` tickets per period.

    ``aht_seconds`` is the mean handling time (ignored when ``handling_samples``
    are given); ``agents`` today's staff during open hours; ``history`` the
    met/not-met outcomes of comparable promises. ``method="simulation"`` needs
    ``rng`` and runs ``replications`` periods (with a week of warm-up).
    """
    promise.check()
    tickets = expected_arrivals + extra_arrivals
    _positive("expected_arrivals", expected_arrivals, "expected number of tickets in the period")
    if not (math.isfinite(extra_arrivals) and extra_arrivals >= 0):
        raise PlanningInputError(
            f"The extra volume (extra_arrivals={extra_arrivals!r}) must be zero or positive."
        )
    _positive("aht_seconds", aht_seconds, "average handling time in seconds")
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 1:
        raise PlanningInputError(f"The current staff (agents={agents!r}) must be at least 1.")
    check_service_level("confidence", confidence)
    if not (math.isfinite(design_effect) and design_effect >= 1):
        raise PlanningInputError(
            f"The design effect (design_effect={design_effect!r}) must be at least 1."
        )
    th = thresholds or VerdictThresholds()
    load = _load(promise, tickets, aht_seconds, handling_samples)
    erlangs = load.rate * load.aht
    if method == "analytic":
        p = _per_ticket(load, agents, promise.metric, promise.target_seconds)
        p_met = _p_met(p, tickets, promise.attainment, design_effect)
        needed = _staffing_needed(load, promise, tickets, confidence, design_effect)
    elif method == "simulation":
        if rng is None or replications < 2:
            raise PlanningInputError(
                "The simulation method needs an rng and at least 2 replications."
            )
        setup = _sim_setup(promise, tickets, load, rng, replications)
        p, p_met = _simulate(setup, agents)
        guess = _staffing_needed(load, promise, tickets, confidence, design_effect) or agents
        needed = _sim_staffing(setup, max(1, guess - 2), erlangs, confidence)
    else:
        raise PlanningInputError(f"The method ({method!r}) must be 'analytic' or 'simulation'.")
    share, ci, n_hist, status = _history(history, promise.attainment)
    draft = FeasibilityAssessment(
        verdict=_verdict(p_met, status, th),
        probability_met=p_met,
        per_ticket_probability=p,
        expected_tickets=tickets,
        agents=agents,
        offered_load=erlangs,
        occupancy=min(1.0, erlangs / agents),
        confidence=confidence,
        staffing_needed=needed,
        history_attainment=share,
        history_ci95=ci,
        history_tickets=n_hist,
        history_status=status,
        method=method,
        thresholds=th,
    )
    return FeasibilityAssessment(**{**vars_of(draft), "reasons": _reasons(draft, promise)})


def vars_of(a: FeasibilityAssessment) -> dict[str, Any]:
    """Shallow field dict of a (slot-free) frozen dataclass."""
    return {f: getattr(a, f) for f in a.__dataclass_fields__}
