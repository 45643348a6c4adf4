"""Technician day plans: vehicle routing with skills, time windows, shifts and travel.

:func:`plan_day` assigns a day's jobs to technicians and orders each technician's
visits. The model is a vehicle routing problem with time windows solved by OR-Tools'
routing library (first solution by cheapest arc, then guided local search until the
time limit):

* one vehicle per technician, leaving ``start_location`` no earlier than the shift's
  start and back at ``end_location`` no later than the shift's end;
* one node per job; a visit *starts* inside the job's window, lasts ``duration_s`` and
  may wait on site for the window to open (waiting is free);
* a job goes only to technicians who hold every one of its ``skills``;
* a job with ``fixed_technician`` stays with that technician, one with
  ``fixed_start_s`` starts exactly then (the start must still lie in its window and
  the technician's shift: a fixed visit keeps every constraint, it is only pinned);
* every job may be left out at a penalty far above any travel it saves, so the solver
  assigns as many jobs as it can (fixed jobs weigh a hundred times more) and then
  minimises the travel time in seconds.

Jobs that no technician could do even alone are left out before solving, with the
reason: ``"no_technician"`` (no technician at all, or the fixed one is not working),
``"no_skill"`` (nobody eligible holds the skills), ``"window"`` (no eligible
technician can reach the site inside the window and return within the shift). A job
the solver leaves out because the day is full gets ``"capacity"``.

Times are integer seconds from the day's start; ``travel_s[a, b]`` is the travel time
from location ``a`` to ``b`` (rounded to whole seconds). The returned visit times are
the earliest schedule of each route (the technician leaves at the shift's start and
waits on site when early). Pure Python/numpy and OR-Tools; never imports Django.

Reference: L. Perron, V. Furnon, "OR-Tools", Google (routing library);
M. M. Solomon, "Algorithms for the vehicle routing and scheduling problems with time
window constraints", Operations Research 35 (1987).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.constraint_solver import (  # type: ignore[import-untyped]
    pywrapcp,
    routing_enums_pb2,
)

__all__ = [
    "REASONS",
    "DayPlan",
    "Job",
    "RoutingInputError",
    "Tech",
    "Visit",
    "haversine_km",
    "plan_day",
    "travel_matrix",
]

#: Reason codes of an unassigned job, in the order they are checked.
REASONS = ("no_technician", "no_skill", "window", "capacity")

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
#: Road distance over great-circle distance: roads wind, so a road trip is about 30 %
#: longer than the straight line (Ballou, Rahardja, Sakai, "Selected country circuity
#: factors for road travel distance estimation", Transportation Research A 36, 2002).
ROAD_FACTOR = 1.3
#: Average door-to-door speed of a service van on mixed roads, km/h (an assumption).
SPEED_KMH = 60.0


class RoutingInputError(ValueError):
    """The day's data cannot be planned (the message is one sentence)."""


@dataclass(frozen=True)
class Job:
    """A visit to plan: where, how long, when it may start and who may do it."""

    id: int
    location: int  # index into the travel matrix
    duration_s: int
    window: tuple[int, int]  # earliest and latest start, seconds from the day's start
    skills: frozenset[str] = frozenset()
    fixed_technician: int | None = None
    fixed_start_s: int | None = None  # a started/fixed visit keeps its technician and start


@dataclass(frozen=True)
class Tech:
    """A technician's day: home base, end of day, working hours and skills."""

    id: int
    start_location: int
    end_location: int
    shift: tuple[int, int]
    skills: frozenset[str]


@dataclass(frozen=True)
class Visit:
    """A planned visit: the job, its start and end, and the travel to reach it."""

    job: int
    start_s: int
    end_s: int
    travel_s: int


@dataclass(frozen=True)
class DayPlan:
    """Routes per technician id (visits in order), the jobs left out, total travel."""

    routes: dict[int, list[Visit]]
    unassigned: list[tuple[int, str]]
    travel_s: int


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance in km between points given in degrees (broadcasts).

    ``d = 2 R asin(sqrt(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)))`` with R = 6371.0088 km.
    A road factor (roads are longer than the great circle) is the caller's to apply;
    ``haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])`` gives the
    full matrix.
    """
    p1, l1, p2, l2 = (np.radians(np.asarray(x, dtype=np.float64)) for x in (lat1, lon1, lat2, lon2))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def travel_matrix(
    lat: ArrayLike,
    lon: ArrayLike,
    *,
    road_factor: float = ROAD_FACTOR,
    speed_kmh: float = SPEED_KMH,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Road kilometres and travel seconds between all points (degrees).

    ``km = haversine × road_factor`` and ``seconds = round(km / speed_kmh × 3600)``;
    both are square matrices in the order of the points.
    """
    if not road_factor >= 1 or not speed_kmh > 0:
        raise RoutingInputError("The road factor must be at least 1 and the speed positive.")
    la, lo = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    km = haversine_km(la[:, None], lo[:, None], la[None, :], lo[None, :]) * road_factor
    return km, np.rint(km / speed_kmh * 3600).astype(np.int64)


def _check_input(jobs: Sequence[Job], techs: Sequence[Tech], travel: NDArray[np.int64]) -> None:
    if travel.ndim != 2 or travel.shape[0] != travel.shape[1]:
        raise RoutingInputError(f"The travel matrix must be square, not of shape {travel.shape}.")
    if (travel < 0).any():
        raise RoutingInputError("The travel matrix must not hold negative times.")
    n = travel.shape[0]
    for job in jobs:
        if not 0 <= job.location < n:
            raise RoutingInputError(
                f"Job {job.id} is at location {job.location}, outside the travel matrix."
            )
        if job.duration_s < 0:
            raise RoutingInputError(f"Job {job.id} has a negative duration.")
    for tech in techs:
        for loc in (tech.start_location, tech.end_location):
            if not 0 <= loc < n:
                raise RoutingInputError(
                    f"Technician {tech.id} starts or ends at location {loc}, "
                    "outside the travel matrix."
                )
    if len({j.id for j in jobs}) != len(jobs) or len({t.id for t in techs}) != len(techs):
        raise RoutingInputError("Job ids and technician ids must each be unique.")


def _earliest_start(job: Job, tech: Tech, travel: NDArray[np.int64]) -> int | None:
    """Start of the job if it were the technician's only visit, or None if it cannot fit."""
    start = max(tech.shift[0] + int(travel[tech.start_location, job.location]), job.window[0])
    if job.fixed_start_s is not None:
        if start > job.fixed_start_s:
            return None
        start = job.fixed_start_s
    if start > job.window[1]:
        return None
    if start + job.duration_s + int(travel[job.location, tech.end_location]) > tech.shift[1]:
        return None
    return start


def _eligible(
    job: Job, techs: Sequence[Tech], travel: NDArray[np.int64]
) -> tuple[list[int], str | None]:
    """Indexes of the technicians who could do ``job`` alone, or the reason nobody can."""
    candidates = [
        i
        for i, t in enumerate(techs)
        if job.fixed_technician is None or t.id == job.fixed_technician
    ]
    if not candidates:
        return [], "no_technician"
    skilled = [i for i in candidates if job.skills <= techs[i].skills]
    if not skilled:
        return [], "no_skill"
    reachable = [i for i in skilled if _earliest_start(job, techs[i], travel) is not None]
    if not reachable:
        return [], "window"
    return reachable, None


def plan_day(
    *,
    jobs: Sequence[Job],
    techs: Sequence[Tech],
    travel_s: NDArray[np.floating] | NDArray[np.integer] | ArrayLike,
    time_limit_s: float = 5.0,
) -> DayPlan:
    """Plan a day: assign ``jobs`` to ``techs`` and order each route (see the module).

    The search runs for at most ``time_limit_s`` seconds; a small day stops sooner
    (0.5 s plus 0.1 s per job to plan), where guided local search has long settled.
    Raises :class:`RoutingInputError` when the input itself is wrong (a location
    outside the matrix, duplicate ids); a job that cannot be planned is listed in
    ``unassigned`` with its reason instead.
    """
    raw = np.asarray(travel_s, dtype=np.float64)
    if not np.isfinite(raw).all():
        raise RoutingInputError("The travel matrix must hold finite times only.")
    travel = np.rint(raw).astype(np.int64)
    _check_input(jobs, techs, travel)
    unassigned: dict[int, str] = {}
    planned: list[Job] = []
    allowed: list[list[int]] = []
    for job in jobs:
        eligible, reason = _eligible(job, techs, travel)
        if reason is not None:
            unassigned[job.id] = reason
        else:
            planned.append(job)
            allowed.append(eligible)
    routes: dict[int, list[Visit]] = {t.id: [] for t in techs}
    if planned:
        limit = min(time_limit_s, 0.5 + 0.1 * len(planned))
        orders = _solve(planned, allowed, techs, travel, limit)
        for v, order in enumerate(orders):
            routes[techs[v].id] = _schedule(order, techs[v], travel)
        done = {visit.job for route in routes.values() for visit in route}
        for job in planned:
            if job.id not in done:
                unassigned[job.id] = "capacity"
    total = sum(_route_travel(routes[t.id], t, {j.id: j for j in planned}, travel) for t in techs)
    order_of = {job.id: k for k, job in enumerate(jobs)}
    left = sorted(unassigned.items(), key=lambda item: order_of[item[0]])
    return DayPlan(routes=routes, unassigned=left, travel_s=total)


def _solve(
    jobs: list[Job],
    allowed: list[list[int]],
    techs: Sequence[Tech],
    travel: NDArray[np.int64],
    time_limit_s: float,
) -> list[list[Job]]:
    """The job order of every technician found by OR-Tools (empty routes included)."""
    n_jobs, n_techs = len(jobs), len(techs)
    # nodes: jobs 0..n_jobs-1, then each technician's start and end node
    locations = [j.location for j in jobs]
    locations += [t.start_location for t in techs] + [t.end_location for t in techs]
    starts = [n_jobs + v for v in range(n_techs)]
    ends = [n_jobs + n_techs + v for v in range(n_techs)]
    service = [j.duration_s for j in jobs] + [0] * (2 * n_techs)
    loc = np.asarray(locations, dtype=np.int64)
    node_travel = travel[np.ix_(loc, loc)]
    manager = pywrapcp.RoutingIndexManager(len(locations), n_techs, starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    # matrices evaluated inside OR-Tools: no Python call per arc during the search
    cost = routing.RegisterTransitMatrix(node_travel.tolist())
    busy = routing.RegisterTransitMatrix((node_travel + np.asarray(service)[:, None]).tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(cost)
    horizon = max([t.shift[1] for t in techs] + [j.window[1] for j in jobs]) + 1
    routing.AddDimension(busy, horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    for v, tech in enumerate(techs):
        time.CumulVar(routing.Start(v)).SetRange(tech.shift[0], tech.shift[1])
        time.CumulVar(routing.End(v)).SetRange(tech.shift[0], tech.shift[1])
    penalty = 2 * (int(node_travel.max(initial=0)) + 1) * (n_jobs + 1) + 1_000_000
    for k, job in enumerate(jobs):
        index = manager.NodeToIndex(k)
        lo, hi = job.window
        if job.fixed_start_s is not None:
            lo = hi = job.fixed_start_s
        time.CumulVar(index).SetRange(lo, hi)
        if len(allowed[k]) < n_techs:
            routing.VehicleVar(index).SetValues([-1, *allowed[k]])
        pinned = job.fixed_technician is not None or job.fixed_start_s is not None
        routing.AddDisjunction([index], penalty * (100 if pinned else 1))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(max(1, math.ceil(time_limit_s * 1000)))
    solution = routing.SolveWithParameters(params)
    orders: list[list[Job]] = [[] for _ in techs]
    if solution is None:
        return orders
    for v in range(n_techs):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(index):
            orders[v].append(jobs[manager.IndexToNode(index)])
            index = solution.Value(routing.NextVar(index))
    return orders


def _schedule(order: list[Job], tech: Tech, travel: NDArray[np.int64]) -> list[Visit]:
    """The earliest schedule of a route: each visit starts as soon as it may."""
    visits: list[Visit] = []
    here, clock = tech.start_location, tech.shift[0]
    for job in order:
        leg = int(travel[here, job.location])
        start = max(clock + leg, job.window[0])
        if job.fixed_start_s is not None:
            start = max(start, job.fixed_start_s)
        visits.append(Visit(job=job.id, start_s=start, end_s=start + job.duration_s, travel_s=leg))
        here, clock = job.location, start + job.duration_s
    return visits


def _route_travel(
    route: list[Visit], tech: Tech, jobs: dict[int, Job], travel: NDArray[np.int64]
) -> int:
    """Travel of a route including the way back to the technician's end location."""
    if not route:
        return 0
    last = jobs[route[-1].job].location
    return sum(v.travel_s for v in route) + int(travel[last, tech.end_location])
