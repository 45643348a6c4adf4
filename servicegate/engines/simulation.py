"""Discrete-event simulation of service queues, for what the Erlang formulas cannot do.

Two engines share one result type (:class:`SimulationResult`):

* :func:`simulate_mmc` / :func:`fcfs_waits` (in :mod:`servicegate.engines.fcfs`) — the
  plain first-come-first-served multi-server queue (optionally with exponential
  patience), by the Kiefer–Wolfowitz workload recursion. About two million customers
  per second in pure Python.
* :func:`simulate` (here) — an event-driven engine for business-hours calendars
  (work stops outside open hours and resumes at the next opening), non-preemptive
  priorities, several skill groups, on-site work with travel time, pauses while
  waiting on the customer, patience, and piecewise-constant arrival rates. A
  :class:`QueueModel` describes the classes of work and the groups of agents.

Times are seconds (epoch seconds when a calendar is used), rates per second.
Randomness comes only from the ``numpy.random.Generator`` passed in; every customer
attribute is drawn up front from its own child stream, so two models that differ
only in staffing see the same customers (common random numbers).
:func:`replicate` and :func:`compare` run independent replications and report
95 % Student-t confidence intervals.

This module is the public face of the simulation: it also re-exports the schedules
(:mod:`~servicegate.engines.schedules`), arrivals and duration samplers
(:mod:`~servicegate.engines.workload`), result types
(:mod:`~servicegate.engines.simulation_results`) and replications
(:mod:`~servicegate.engines.replications`).

Reference: J. Kiefer, J. Wolfowitz, "On the theory of queues with many servers",
Trans. AMS 78 (1955); A. M. Law, *Simulation Modeling and Analysis*, ch. 9–11.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from servicegate.engines.fcfs import fcfs_waits, simulate_mmc
from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.replications import (
    Estimate,
    ReplicationSummary,
    generator_from,
    replicate,
    replication_seeds,
    summarise,
)
from servicegate.engines.schedules import (
    ALWAYS_OPEN,
    PredicateSchedule,
    Schedule,
    WeeklySchedule,
    add_business_seconds,
    business_seconds,
)
from servicegate.engines.schedules import WEEK as WEEK
from servicegate.engines.simulation_results import ClassResult as ClassResult
from servicegate.engines.simulation_results import (
    Records,
    SimulationResult,
    result_from_records,
)
from servicegate.engines.workload import FloatArray as FloatArray
from servicegate.engines.workload import (
    PiecewiseRate,
    Sampler,
    constant,
    empirical,
    exponential,
    lognormal,
    open_hours_rate,
    poisson_arrivals,
)

__all__ = [
    "ALWAYS_OPEN",
    "AgentGroup",
    "CustomerClass",
    "Estimate",
    "PiecewiseRate",
    "PredicateSchedule",
    "QueueModel",
    "ReplicationSummary",
    "Sampler",
    "Schedule",
    "SimulationResult",
    "WeeklySchedule",
    "add_business_seconds",
    "business_seconds",
    "compare",
    "constant",
    "empirical",
    "exponential",
    "fcfs_waits",
    "generator_from",
    "lognormal",
    "open_hours_rate",
    "poisson_arrivals",
    "replicate",
    "simulate",
    "simulate_mmc",
]

# --- the general model ------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerClass:
    """A stream of work: its arrivals, handling, priority and skill.

    ``priority``: lower is served first (non-preemptive); ``skill`` defaults to the
    name. ``onsite_share`` of the jobs need ``travel`` before work starts (the
    response is the arrival on site). With ``pause_probability`` a job stops part
    way (uniformly within its handling time) for a ``pause`` waiting on the
    customer; the agent takes other work meanwhile and the rest is queued again.
    ``patience`` (wall-clock seconds) makes customers abandon before a first start.
    """

    name: str
    arrivals: PiecewiseRate
    service: Sampler
    priority: int = 0
    skill: str | None = None
    patience: Sampler | None = None
    onsite_share: float = 0.0
    travel: Sampler | None = None
    pause_probability: float = 0.0
    pause: Sampler | None = None

    @property
    def skill_name(self) -> str:
        return self.skill or self.name

    def __post_init__(self) -> None:
        for label, p in (
            ("on-site share", self.onsite_share),
            ("pause probability", self.pause_probability),
        ):
            if not 0.0 <= p <= 1.0:
                raise PlanningInputError(
                    f"The {label} of class {self.name!r} must be between 0 and 1."
                )
        if self.onsite_share > 0 and self.travel is None:
            raise PlanningInputError(f"Class {self.name!r} has on-site jobs; give its travel time.")
        if self.pause_probability > 0 and self.pause is None:
            raise PlanningInputError(f"Class {self.name!r} pauses; give its pause duration.")


@dataclass(frozen=True)
class AgentGroup:
    """``agents`` people who serve the listed ``skills``, working to ``schedule``
    (default: the model's calendar). Free agents take the highest-priority, longest
    waiting job among their skills."""

    name: str
    agents: int
    skills: tuple[str, ...]
    schedule: Schedule | None = None

    def __post_init__(self) -> None:
        if self.agents < 1:
            raise PlanningInputError(f"Agent group {self.name!r} needs at least 1 agent.")


@dataclass(frozen=True)
class QueueModel:
    """Classes of work, groups of agents and the promise calendar.

    Waits, responses and resolutions are measured in business seconds of
    ``schedule``; customers arriving in the first ``warmup_seconds`` are simulated
    but not counted.
    """

    classes: tuple[CustomerClass, ...]
    groups: tuple[AgentGroup, ...]
    answer_within_seconds: float
    resolve_within_seconds: float | None = None
    schedule: Schedule = ALWAYS_OPEN
    warmup_seconds: float = 0.0

    def __post_init__(self) -> None:
        if not self.classes or not self.groups:
            raise PlanningInputError(
                "A queue model needs at least one customer class and one agent group."
            )
        served = {s for g in self.groups for s in g.skills}
        for c in self.classes:
            if c.skill_name not in served:
                raise PlanningInputError(
                    f"No agent group has the skill {c.skill_name!r} that class {c.name!r} needs."
                )


@dataclass
class _Customers:
    """Every customer of a run, drawn up front (one child stream per class and purpose)."""

    arrival: FloatArray
    cls: NDArray[np.intp]
    service: FloatArray
    patience: FloatArray
    travel: FloatArray
    pause: FloatArray
    split: FloatArray


def _draw_class(c: CustomerClass, rng: np.random.Generator) -> list[FloatArray]:
    arr_rng, svc_rng, pat_rng, site_rng, trv_rng, pz_rng, len_rng, split_rng = rng.spawn(8)
    t = poisson_arrivals(c.arrivals, arr_rng)
    n = t.size
    service = c.service(svc_rng, n)
    patience = c.patience(pat_rng, n) if c.patience else np.full(n, np.inf)
    onsite = site_rng.random(n) < c.onsite_share
    travel = np.where(onsite, c.travel(trv_rng, n), 0.0) if c.travel else np.zeros(n)
    pauses = pz_rng.random(n) < c.pause_probability
    pause = np.where(pauses, c.pause(len_rng, n), 0.0) if c.pause else np.zeros(n)
    return [t, service, patience, travel, pause, split_rng.random(n)]


def _draw_customers(model: QueueModel, rng: np.random.Generator) -> _Customers:
    parts = [
        _draw_class(c, r) for c, r in zip(model.classes, rng.spawn(len(model.classes)), strict=True)
    ]
    cls = np.concatenate([np.full(p[0].size, k, dtype=np.intp) for k, p in enumerate(parts)])
    cols = [np.concatenate([p[j] for p in parts]) for j in range(6)]
    order = np.argsort(cols[0], kind="stable")
    a, s, pat, trv, pz, split = (col[order] for col in cols)
    return _Customers(a, cls[order], s, pat, trv, pz, split)


_FREE, _RETURN, _WAKE = 0, 1, 2


class _EventEngine:
    """Event-driven run of a :class:`QueueModel` over pre-drawn customers."""

    def __init__(self, model: QueueModel, cust: _Customers) -> None:
        self.m, self.c = model, cust
        n = cust.arrival.size
        self.skills = sorted({c.skill_name for c in model.classes})
        skill_of = {s: k for k, s in enumerate(self.skills)}
        self.cls_skill = [skill_of[c.skill_name] for c in model.classes]
        self.cls_prio = [c.priority for c in model.classes]
        self.group_skills = [[skill_of[s] for s in g.skills if s in skill_of] for g in model.groups]
        self.eligible = [
            [g for g, sk in enumerate(self.group_skills) if k in sk]
            for k in range(len(self.skills))
        ]
        self.sched = [g.schedule or model.schedule for g in model.groups]
        self.idle = [g.agents for g in model.groups]
        self.wake_pending = [False] * len(model.groups)
        self.queues: list[list[tuple[int, float, int]]] = [[] for _ in self.skills]
        self.events: list[tuple[float, int, int, int, int]] = []
        self.seq = 0
        self.clock = 0.0
        self.remaining = cust.service.tolist()
        self.first_start = [math.nan] * n
        self.site_arrival = [math.inf] * n
        self.done = [math.inf] * n
        self.abandoned = [False] * n
        self.pause_left = (cust.pause > 0).tolist()
        self.pause_business = [0.0] * n

    def push(self, t: float, kind: int, a: int, b: int = -1) -> None:
        self.seq += 1
        heapq.heappush(self.events, (t, self.seq, kind, a, b))

    def run(self) -> None:
        arrivals = self.c.arrival.tolist()
        i, n = 0, len(arrivals)
        while i < n or self.events:
            if i < n and (not self.events or arrivals[i] <= self.events[0][0]):
                self.clock = arrivals[i]
                self.offer(i, arrivals[i])
                i += 1
                continue
            t, _, kind, a, b = heapq.heappop(self.events)
            self.clock = t
            if kind == _FREE:
                self.finish(a, b, t)
            elif kind == _RETURN:
                self.offer(a, t)
            else:
                self.wake_pending[a] = False
                self.dispatch(a, t)

    def offer(self, i: int, now: float) -> None:
        skill = self.cls_skill[self.c.cls[i]]
        for g in self.eligible[skill]:
            if self.idle[g] and self.sched[g].is_open(now):
                self.start(i, g, now)
                return
        heapq.heappush(self.queues[skill], (self.cls_prio[self.c.cls[i]], now, i))
        for g in self.eligible[skill]:
            if self.idle[g]:
                self.ensure_wake(g, now)

    def ensure_wake(self, g: int, now: float) -> None:
        if not self.wake_pending[g]:
            t = self.sched[g].next_open(now)
            if math.isfinite(t):
                self.wake_pending[g] = True
                self.push(t, _WAKE, g)

    def start(self, i: int, g: int, now: float) -> None:
        self.idle[g] -= 1
        sched = self.sched[g]
        on_site = add_business_seconds(sched, now, float(self.c.travel[i]))
        if math.isnan(self.first_start[i]):
            self.first_start[i], self.site_arrival[i] = now, on_site
        work = self.remaining[i]
        if self.pause_left[i]:
            work *= float(self.c.split[i])
        self.remaining[i] -= work
        self.push(add_business_seconds(sched, on_site, work), _FREE, g, i)

    def finish(self, g: int, i: int, now: float) -> None:
        self.idle[g] += 1
        if self.pause_left[i]:
            self.pause_left[i] = False
            back = now + float(self.c.pause[i])
            self.pause_business[i] = business_seconds(self.m.schedule, now, back)
            self.push(back, _RETURN, i)
        else:
            self.done[i] = now
        self.dispatch(g, now)

    def dispatch(self, g: int, now: float) -> None:
        if not self.sched[g].is_open(now):
            self.ensure_wake(g, now)
            return
        while self.idle[g]:
            i = self.pick(g, now)
            if i < 0:
                return
            self.start(i, g, now)

    def pick(self, g: int, now: float) -> int:
        """Best waiting job for group ``g`` (priority, then waiting since); drops the
        impatient who left before ``now``."""
        best: tuple[int, float, int] | None = None
        best_q = -1
        for k in self.group_skills[g]:
            q = self.queues[k]
            while q and self.expired(q[0][2], now):
                self.abandoned[heapq.heappop(q)[2]] = True
            if q and (best is None or q[0] < best):
                best, best_q = q[0], k
        if best is None:
            return -1
        heapq.heappop(self.queues[best_q])
        return best[2]

    def expired(self, i: int, now: float) -> bool:
        return math.isnan(self.first_start[i]) and now - self.c.arrival[i] > self.c.patience[i]

    def records(self) -> Records:
        """Business-time waits, responses and resolutions of the counted customers."""
        c, sched = self.c, self.m.schedule
        keep = np.flatnonzero(c.arrival >= self.warm_start())
        wait = np.empty(keep.size)
        response = np.full(keep.size, np.inf)
        resolution = np.full(keep.size, np.inf)
        abandoned = np.asarray(self.abandoned, dtype=np.bool_)[keep]
        for j, i in enumerate(keep.tolist()):
            a = float(c.arrival[i])
            begun = self.first_start[i]
            if self.abandoned[i]:
                begun = a + float(c.patience[i])
            elif math.isnan(begun):  # never served: no opening left in the calendar
                begun = self.clock
            else:
                response[j] = business_seconds(sched, a, self.site_arrival[i])
            wait[j] = business_seconds(sched, a, begun)
            if math.isfinite(self.done[i]):
                resolution[j] = business_seconds(sched, a, self.done[i]) - self.pause_business[i]
        return wait, response, resolution, abandoned, c.cls[keep]

    def warm_start(self) -> float:
        first = min(c.arrivals.breakpoints[0] for c in self.m.classes)
        return first + self.m.warmup_seconds


def _fast_path_applies(model: QueueModel) -> bool:
    c, g = model.classes[0], model.groups[0]
    plain = len(model.classes) == 1 and len(model.groups) == 1
    return (
        plain
        and model.schedule is ALWAYS_OPEN
        and g.schedule in (None, ALWAYS_OPEN)
        and c.onsite_share == 0
        and c.pause_probability == 0
    )


def _fast_records(model: QueueModel, cust: _Customers) -> Records:
    patience = cust.patience if model.classes[0].patience else None
    waits, abandoned = fcfs_waits(cust.arrival, cust.service, model.groups[0].agents, patience)
    keep = cust.arrival >= model.classes[0].arrivals.breakpoints[0] + model.warmup_seconds
    response = np.where(abandoned, np.inf, waits)[keep]
    return waits[keep], response, response + cust.service[keep], abandoned[keep], cust.cls[keep]


def simulate(
    model: QueueModel, rng: np.random.Generator, *, engine: str = "auto"
) -> SimulationResult:
    """Run ``model`` once with randomness from ``rng``.

    ``engine="auto"`` uses the Kiefer–Wolfowitz fast path for one class, one group,
    no calendar, no travel and no pauses, and the event-driven engine otherwise;
    ``"event"`` forces the latter. Both see the same customers for the same
    ``rng`` state, so they agree exactly where both apply.
    """
    if engine not in ("auto", "event"):
        raise PlanningInputError(f"The engine ({engine!r}) must be 'auto' or 'event'.")
    cust = _draw_customers(model, rng)
    names = [c.name for c in model.classes]
    if engine == "auto" and _fast_path_applies(model):
        records = _fast_records(model, cust)
    else:
        run = _EventEngine(model, cust)
        run.run()
        records = run.records()
    return result_from_records(
        names, records, model.answer_within_seconds, model.resolve_within_seconds
    )


# --- common random numbers -------------------------------------------------------------------


def compare(
    models: Mapping[str, QueueModel], *, replications: int, rng: np.random.Generator
) -> dict[str, ReplicationSummary]:
    """Replicate several models with common random numbers.

    Replication *r* of every model uses the same child seed, hence the same
    customers, so differences between models are not blurred by sampling noise.
    """
    seeds = replication_seeds(rng, replications)
    return {
        name: summarise([simulate(m, generator_from(s)) for s in seeds])
        for name, m in models.items()
    }
