"""Discrete-event simulation of service queues, for what the Erlang formulas cannot do.

Two engines share one result type:

* :func:`simulate_mmc` / :func:`fcfs_waits` — the plain first-come-first-served
  multi-server queue (optionally with exponential patience). It runs the
  Kiefer–Wolfowitz workload recursion: with the server-free times kept in a heap,
  customer *k* starts at ``max(a_k, min free)`` and that server becomes free at
  ``start + s_k``; an impatient customer whose wait would exceed the patience
  leaves without touching the heap (in FCFS later arrivals never delay earlier
  ones). About two million customers per second in pure Python.
* :func:`simulate` — an event-driven engine for business-hours calendars
  (work stops outside open hours and resumes at the next opening), non-preemptive
  priorities, several skill groups, on-site work with travel time, pauses while
  waiting on the customer, patience, and piecewise-constant arrival rates.

Times are seconds (epoch seconds when a calendar is used), rates per second.
Randomness comes only from the ``numpy.random.Generator`` passed in; every customer
attribute is drawn up front from its own child stream, so two models that differ
only in staffing see the same customers (common random numbers).
:func:`replicate` and :func:`compare` run independent replications and report
95 % Student-t confidence intervals.

Reference: J. Kiefer, J. Wolfowitz, "On the theory of queues with many servers",
Trans. AMS 78 (1955); A. M. Law, *Simulation Modeling and Analysis*, ch. 9–11.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from servicegate.engines.queueing import PlanningInputError

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

FloatArray = NDArray[np.float64]
Sampler = Callable[[np.random.Generator, int], FloatArray]
"""Draws ``size`` non-negative durations in seconds from the given generator."""

WEEK = 7 * 86400.0
_MONDAY_OFFSET = 3 * 86400.0  # 1970-01-01 was a Thursday; Monday 00:00 is 3 days earlier.


# --- duration samplers ---------------------------------------------------------------


def _positive(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise PlanningInputError(f"The {name} ({value!r}) must be a positive number of seconds.")


def exponential(mean: float) -> Sampler:
    """Exponential durations with the given mean (seconds)."""
    _positive("mean duration", mean)
    return lambda rng, size: rng.exponential(mean, size)


def constant(value: float) -> Sampler:
    """Always ``value`` seconds."""
    _positive("constant duration", value)
    return lambda rng, size: np.full(size, float(value))


def lognormal(mean: float, cv: float) -> Sampler:
    """Log-normal durations with the given mean (seconds) and coefficient of variation."""
    _positive("mean duration", mean)
    _positive("coefficient of variation", cv)
    sigma2 = math.log1p(cv * cv)
    mu = math.log(mean) - sigma2 / 2
    return lambda rng, size: rng.lognormal(mu, math.sqrt(sigma2), size)


def empirical(samples: Sequence[float] | FloatArray) -> Sampler:
    """Resample observed durations (seconds) with replacement."""
    data = np.asarray(samples, dtype=np.float64)
    if data.size == 0 or not np.all(np.isfinite(data)) or np.any(data <= 0):
        raise PlanningInputError(
            "The handling-time samples must be a non-empty list of positive seconds."
        )
    return lambda rng, size: rng.choice(data, size)


# --- calendars -------------------------------------------------------------------------


class Schedule(Protocol):
    """When work happens. ``next_open(t)`` is ``t`` itself while open; ``next_close(t)``
    is the first closing instant after an open ``t`` (``inf`` if it never closes)."""

    def is_open(self, t: float) -> bool: ...

    def next_open(self, t: float) -> float: ...

    def next_close(self, t: float) -> float: ...


@dataclass(frozen=True)
class _AlwaysOpen:
    def is_open(self, t: float) -> bool:
        return True

    def next_open(self, t: float) -> float:
        return t

    def next_close(self, t: float) -> float:
        return math.inf


ALWAYS_OPEN: Schedule = _AlwaysOpen()


@dataclass(frozen=True)
class WeeklySchedule:
    """Open intervals repeating every week.

    ``intervals`` are ``(start, end)`` seconds since Monday 00:00 local time
    (``0 ≤ start < end ≤ 604800``, non-overlapping); ``utc_offset_seconds`` shifts
    epoch seconds to local time (e.g. 3600 for CET). Mon–Fri 8–17 is
    ``WeeklySchedule.workdays(8, 17)``.
    """

    intervals: tuple[tuple[float, float], ...]
    utc_offset_seconds: float = 0.0

    def __post_init__(self) -> None:
        spans = sorted(self.intervals)
        if not spans or any(not 0 <= s < e <= WEEK for s, e in spans):
            raise PlanningInputError(
                "The weekly schedule needs at least one (start, end) interval in seconds "
                "since Monday 00:00 with 0 <= start < end <= 604800."
            )
        if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
            raise PlanningInputError("The weekly schedule's open intervals must not overlap.")
        object.__setattr__(self, "intervals", tuple(spans))

    @classmethod
    def workdays(
        cls, open_hour: float, close_hour: float, *, days: int = 5, utc_offset_seconds: float = 0
    ) -> WeeklySchedule:
        """Open ``open_hour``–``close_hour`` on the first ``days`` weekdays (Monday first)."""
        spans = tuple(
            (d * 86400 + open_hour * 3600, d * 86400 + close_hour * 3600) for d in range(days)
        )
        return cls(spans, utc_offset_seconds)

    @property
    def open_fraction(self) -> float:
        """Share of the week that is open."""
        return sum(e - s for s, e in self.intervals) / WEEK

    def _split(self, t: float) -> tuple[float, float]:
        local = t + self.utc_offset_seconds + _MONDAY_OFFSET
        week_start = math.floor(local / WEEK) * WEEK
        return week_start - self.utc_offset_seconds - _MONDAY_OFFSET, local - week_start

    def is_open(self, t: float) -> bool:
        _, pos = self._split(t)
        return any(s <= pos < e for s, e in self.intervals)

    def next_open(self, t: float) -> float:
        base, pos = self._split(t)
        for s, e in self.intervals:
            if pos < e:
                return t if pos >= s else base + s
        return base + WEEK + self.intervals[0][0]

    def next_close(self, t: float) -> float:
        base, pos = self._split(self.next_open(t))
        end = next(e for s, e in self.intervals if s <= pos < e)
        close = base + end
        # Intervals that touch across the week boundary run on.
        if end == WEEK and self.intervals[0][0] == 0:
            return self.next_close(close)
        return close


@dataclass(frozen=True)
class PredicateSchedule:
    """Adapts any ``open(t) -> bool`` callable, resolved to ``step_seconds``.

    Openings and closings are found by stepping, at most ``max_search_seconds``
    ahead (then the schedule is taken as closed for good).
    """

    open: Callable[[float], bool]
    step_seconds: float = 60.0
    max_search_seconds: float = 400 * 86400.0

    def is_open(self, t: float) -> bool:
        return bool(self.open(t))

    def _scan(self, t: float, want_open: bool) -> float:
        u, stop = t, t + self.max_search_seconds
        while u < stop:
            if bool(self.open(u)) == want_open:
                return u
            u = (math.floor(u / self.step_seconds) + 1) * self.step_seconds
        return math.inf

    def next_open(self, t: float) -> float:
        return self._scan(t, True)

    def next_close(self, t: float) -> float:
        return self._scan(self.next_open(t), False)


def add_business_seconds(schedule: Schedule, start: float, seconds: float) -> float:
    """Instant at which ``seconds`` of open time have passed after ``start``."""
    t, left = schedule.next_open(start), seconds
    while True:
        close = schedule.next_close(t)
        if t + left <= close:
            return t + left
        left -= close - t
        t = schedule.next_open(close)


def business_seconds(schedule: Schedule, start: float, end: float) -> float:
    """Open seconds between ``start`` and ``end`` (zero when ``end <= start``)."""
    total, t = 0.0, schedule.next_open(start)
    while t < end:
        close = schedule.next_close(t)
        total += min(close, end) - t
        t = schedule.next_open(close)
    return total


# --- arrivals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PiecewiseRate:
    """Arrival rate ``rates[i]`` (per second) on ``[breakpoints[i], breakpoints[i+1])``.

    This is how a forecast enters the simulation: one rate per forecast bucket.
    """

    breakpoints: tuple[float, ...]
    rates: tuple[float, ...]

    def __post_init__(self) -> None:
        b, r = self.breakpoints, self.rates
        if len(b) != len(r) + 1 or len(r) == 0 or any(x >= y for x, y in itertools.pairwise(b)):
            raise PlanningInputError(
                "The piecewise arrival rate needs one more ascending breakpoint than rates."
            )
        if any(not (math.isfinite(x) and x >= 0) for x in r) or sum(r) <= 0:
            raise PlanningInputError(
                "The arrival rates must be zero or positive, and at least one must be positive."
            )

    @classmethod
    def constant(cls, rate: float, start: float, end: float) -> PiecewiseRate:
        """One rate over ``[start, end)``."""
        if not (math.isfinite(rate) and rate > 0):
            raise PlanningInputError(f"The arrival rate ({rate!r}) must be a positive number.")
        return cls((start, end), (rate,))


def open_hours_rate(schedule: Schedule, start: float, end: float, rate: float) -> PiecewiseRate:
    """``rate`` arrivals per second during the open hours of ``schedule`` in
    ``[start, end)``, none while closed (work that only arrives in business hours)."""
    if not (math.isfinite(rate) and rate > 0):
        raise PlanningInputError(f"The arrival rate ({rate!r}) must be a positive number.")
    points, rates = [start], []
    t = schedule.next_open(start)
    while t < end:
        close = min(schedule.next_close(t), end)
        if t > points[-1]:
            points.append(t)
            rates.append(0.0)
        points.append(close)
        rates.append(rate)
        t = schedule.next_open(close)
    if not rates:
        raise PlanningInputError("The schedule has no open hours in the simulated period.")
    return PiecewiseRate(tuple(points), tuple(rates))


def poisson_arrivals(rate: PiecewiseRate, rng: np.random.Generator) -> FloatArray:
    """Sorted arrival instants of a Poisson process with piecewise-constant rate.

    Exact: per piece a Poisson(rate·length) count of uniform instants.
    """
    b = np.asarray(rate.breakpoints)
    lengths = np.diff(b)
    counts = rng.poisson(np.asarray(rate.rates) * lengths)
    starts = np.repeat(b[:-1], counts)
    times: FloatArray = starts + rng.random(int(counts.sum())) * np.repeat(lengths, counts)
    times.sort()
    return times


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassResult:
    """Figures of one customer class (or of all customers).

    ``p_wait``: share that waited at all; ``service_level``: share answered (first
    response) within ``answer_within_seconds`` — abandoned and never-served
    customers are misses; ``asa_seconds``: mean wait of all customers (abandoned
    ones until they left); ``resolution_level``: share resolved within
    ``resolve_within_seconds`` (NaN when no target was given). Waits and
    resolution times are business seconds of the model's calendar; pauses
    waiting on the customer do not count towards resolution.
    """

    name: str
    customers: int
    p_wait: float
    service_level: float
    asa_seconds: float
    p_abandon: float
    mean_resolution_seconds: float
    resolution_level: float

    def to_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict (NaN becomes ``None``)."""
        return {
            k: (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in vars(self).items()
        }


@dataclass(frozen=True)
class SimulationResult:
    """Overall and per-class figures of one run, plus the per-customer records.

    The arrays hold one entry per measured customer (after the warm-up), in
    arrival order: ``wait_seconds``, ``response_seconds`` (``inf`` if never
    answered), ``resolution_seconds`` (``inf`` if never resolved), ``abandoned``
    and ``class_index``.
    """

    overall: ClassResult
    classes: tuple[ClassResult, ...]
    wait_seconds: FloatArray = field(repr=False)
    response_seconds: FloatArray = field(repr=False)
    resolution_seconds: FloatArray = field(repr=False)
    abandoned: NDArray[np.bool_] = field(repr=False)
    class_index: NDArray[np.intp] = field(repr=False)

    @property
    def customers(self) -> int:
        return self.overall.customers

    @property
    def p_wait(self) -> float:
        return self.overall.p_wait

    @property
    def service_level(self) -> float:
        return self.overall.service_level

    @property
    def asa_seconds(self) -> float:
        return self.overall.asa_seconds

    @property
    def p_abandon(self) -> float:
        return self.overall.p_abandon

    def to_dict(self) -> dict[str, Any]:
        """Overall figures plus ``classes`` (without the per-customer arrays)."""
        return {**self.overall.to_dict(), "classes": [c.to_dict() for c in self.classes]}


def _class_result(
    name: str,
    wait: FloatArray,
    response: FloatArray,
    resolution: FloatArray,
    abandoned: NDArray[np.bool_],
    within: float,
    resolve_within: float | None,
) -> ClassResult:
    n = int(wait.size)
    if n == 0:
        nan = math.nan
        return ClassResult(name, 0, nan, nan, nan, nan, nan, nan)
    done = np.isfinite(resolution)
    return ClassResult(
        name=name,
        customers=n,
        p_wait=float(np.mean(wait > 1e-9)),
        service_level=float(np.mean(response <= within + 1e-9)),
        asa_seconds=float(np.mean(wait)),
        p_abandon=float(np.mean(abandoned)),
        mean_resolution_seconds=float(np.mean(resolution[done])) if done.any() else math.nan,
        resolution_level=(
            math.nan if resolve_within is None else float(np.mean(resolution <= resolve_within))
        ),
    )


def _result(
    names: Sequence[str],
    records: tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_], NDArray[np.intp]],
    within: float,
    resolve_within: float | None,
) -> SimulationResult:
    wait, response, resolution, abandoned, cls = records
    overall = _class_result("all", wait, response, resolution, abandoned, within, resolve_within)
    per_class = tuple(
        _class_result(
            name, wait[m], response[m], resolution[m], abandoned[m], within, resolve_within
        )
        for k, name in enumerate(names)
        for m in [cls == k]
    )
    return SimulationResult(overall, per_class, wait, response, resolution, abandoned, cls)


# --- fast path: FCFS multi-server -------------------------------------------------------------


def fcfs_waits(
    arrivals: Sequence[float] | FloatArray,
    services: Sequence[float] | FloatArray,
    servers: int,
    patience: Sequence[float] | FloatArray | None = None,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Waits of an FCFS ``servers``-server queue by the Kiefer–Wolfowitz recursion.

    ``arrivals`` must be ascending (seconds). A customer whose wait would exceed
    its ``patience`` abandons after waiting that long and uses no server.
    Returns ``(waits, abandoned)``.
    """
    if servers < 1:
        raise PlanningInputError(f"The number of servers (servers={servers!r}) must be at least 1.")
    a = np.asarray(arrivals, dtype=np.float64).tolist()
    s = np.asarray(services, dtype=np.float64).tolist()
    if patience is None:
        return np.asarray(_kw_loop(a, s, servers)), np.zeros(len(a), dtype=np.bool_)
    p = np.asarray(patience, dtype=np.float64).tolist()
    waits = np.asarray(_kw_loop_impatient(a, s, p, servers))
    abandoned = waits < 0
    waits[abandoned] = np.asarray(p)[abandoned]
    return waits, abandoned


def _kw_loop(arrivals: list[float], services: list[float], servers: int) -> list[float]:
    # Hot loop: locals only. free[0] is the earliest time any server is free.
    free = [0.0] * servers
    replace = heapq.heapreplace
    out: list[float] = []
    append = out.append
    for a, s in zip(arrivals, services, strict=True):
        f = free[0]
        if f <= a:
            replace(free, a + s)
            append(0.0)
        else:
            replace(free, f + s)
            append(f - a)
    return out


def _kw_loop_impatient(
    arrivals: list[float], services: list[float], patience: list[float], servers: int
) -> list[float]:
    """Like :func:`_kw_loop`; an abandoning customer is marked with wait ``-1``."""
    free = [0.0] * servers
    replace = heapq.heapreplace
    out: list[float] = []
    append = out.append
    for a, s, p in zip(arrivals, services, patience, strict=True):
        f = free[0]
        if f <= a:
            replace(free, a + s)
            append(0.0)
        elif f - a > p:
            append(-1.0)
        else:
            replace(free, f + s)
            append(f - a)
    return out


def simulate_mmc(
    *,
    arrival_rate: float,
    aht_seconds: float,
    servers: int,
    customers: int,
    answer_within_seconds: float,
    rng: np.random.Generator,
    patience_seconds: float | None = None,
    warmup_customers: int | None = None,
) -> SimulationResult:
    """Simulate M/M/c (or M/M/c+M with ``patience_seconds``) for ``customers`` customers.

    Poisson arrivals (per second), exponential handling times (mean ``aht_seconds``)
    and patience; ``warmup_customers`` (default ``min(customers // 10, 10_000)``)
    more are simulated first, starting empty, and not counted.
    """
    _positive("arrival rate", arrival_rate)
    _positive("average handling time", aht_seconds)
    if customers < 1:
        raise PlanningInputError(
            f"The number of customers (customers={customers!r}) must be at least 1."
        )
    warm = min(customers // 10, 10_000) if warmup_customers is None else warmup_customers
    total = customers + warm
    arrivals_rng, service_rng, patience_rng = rng.spawn(3)
    arrivals = np.cumsum(arrivals_rng.exponential(1.0 / arrival_rate, total))
    services = service_rng.exponential(aht_seconds, total)
    patience = None
    if patience_seconds is not None:
        _positive("mean patience", patience_seconds)
        patience = patience_rng.exponential(patience_seconds, total)
    waits, abandoned = fcfs_waits(arrivals, services, servers, patience)
    waits, abandoned, services = waits[warm:], abandoned[warm:], services[warm:]
    response = np.where(abandoned, np.inf, waits)
    resolution = response + services
    cls = np.zeros(customers, dtype=np.intp)
    records = (waits, response, resolution, abandoned, cls)
    return _result(["all"], records, answer_within_seconds, None)


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

    def records(
        self,
    ) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_], NDArray[np.intp]]:
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


def _fast_records(
    model: QueueModel, cust: _Customers
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_], NDArray[np.intp]]:
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
    return _result(names, records, model.answer_within_seconds, model.resolve_within_seconds)


# --- replications ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """Mean over replications with a 95 % Student-t confidence interval."""

    mean: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "low": self.low, "high": self.high}


def _estimate(values: Sequence[float], confidence: float = 0.95) -> Estimate:
    x = np.asarray([v for v in values if not math.isnan(v)], dtype=np.float64)
    if x.size == 0:
        return Estimate(math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if x.size < 2:
        return Estimate(mean, math.nan, math.nan)
    half = (
        float(stats.t.ppf(0.5 + confidence / 2, x.size - 1))
        * float(x.std(ddof=1))
        / math.sqrt(x.size)
    )
    return Estimate(mean, mean - half, mean + half)


_FIGURES = (
    "p_wait",
    "service_level",
    "asa_seconds",
    "p_abandon",
    "mean_resolution_seconds",
    "resolution_level",
)


@dataclass(frozen=True)
class ReplicationSummary:
    """Figures over independent replications: ``estimates[name]`` for each of
    p_wait, service_level, asa_seconds, p_abandon, mean_resolution_seconds and
    resolution_level, plus the single runs."""

    replications: int
    customers: int
    estimates: Mapping[str, Estimate]
    runs: tuple[SimulationResult, ...] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"replications": self.replications, "customers": self.customers}
        for name, e in self.estimates.items():
            out[name] = None if math.isnan(e.mean) else e.mean
            out[f"{name}_ci95"] = None if math.isnan(e.low) else [e.low, e.high]
        return out


def _summarise(runs: Sequence[SimulationResult]) -> ReplicationSummary:
    estimates = {f: _estimate([getattr(r.overall, f) for r in runs]) for f in _FIGURES}
    return ReplicationSummary(len(runs), sum(r.customers for r in runs), estimates, tuple(runs))


def _replication_seeds(rng: np.random.Generator, replications: int) -> list[np.random.SeedSequence]:
    if replications < 1:
        raise PlanningInputError(
            f"The number of replications (replications={replications!r}) must be at least 1."
        )
    return np.random.SeedSequence(int(rng.integers(2**63))).spawn(replications)


def generator_from(seed: np.random.SeedSequence) -> np.random.Generator:
    """A fresh generator for ``seed`` that leaves ``seed`` untouched.

    ``Generator.spawn`` advances the spawn counter of the seed sequence it was made
    from; copying keeps a seed reusable across models (common random numbers).
    """
    return np.random.default_rng(np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key))


def replicate(
    run: Callable[[np.random.Generator], SimulationResult],
    *,
    replications: int,
    rng: np.random.Generator,
) -> ReplicationSummary:
    """Run ``run`` on ``replications`` independent child generators of ``rng``."""
    seeds = _replication_seeds(rng, replications)
    return _summarise([run(generator_from(s)) for s in seeds])


def compare(
    models: Mapping[str, QueueModel], *, replications: int, rng: np.random.Generator
) -> dict[str, ReplicationSummary]:
    """Replicate several models with common random numbers.

    Replication *r* of every model uses the same child seed, hence the same
    customers, so differences between models are not blurred by sampling noise.
    """
    seeds = _replication_seeds(rng, replications)
    return {
        name: _summarise([simulate(m, generator_from(s)) for s in seeds])
        for name, m in models.items()
    }
