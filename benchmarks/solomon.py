"""Solomon VRPTW benchmark: PyVRP's routes against the best known solutions.

Solves all 56 Solomon instances (100 customers; C1, C2, R1, R2, RC1, RC2) with
:func:`servicegate.engines.vrptw.solve` at the same time limit each and prints, per
instance, the best-known distance (BKS, CVRPLIB, distance-only), our full-precision
distance and its gap, the number of vehicles, and the same routes' length in the
DIMACS convention the BKS use (each arc truncated to one decimal), so the share of
the gap that is the convention shows. Every route set is checked in exact arithmetic
(capacity, windows, depot closing) before it counts. Ends with the mean gaps and the
issue's targets (C101 ≤ 1 %, R101 and RC101 ≤ 3 %). ``--peer`` also solves each
instance with OR-Tools' guided local search on the same integer model and prints its
gap beside ours.

    python benchmarks/solomon.py --time-limit 30
    python benchmarks/solomon.py --time-limit 30 --instances C101,R101,RC101 --peer
    python benchmarks/solomon.py --time-limit 5 --instances C101,R101,RC101
    servicegate bench solomon --time-limit 30

The instances live in ../shared/data/solomon-vrptw beside the checkout (``--data``).
Benchmarks are not tests: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import sys
import time
from collections.abc import Iterator
from importlib.metadata import version
from multiprocessing.queues import Queue
from pathlib import Path
from typing import NamedTuple

import numpy as np

from servicegate.engines.vrptw import (
    VrptwInstance,
    check_routes,
    distance_matrix,
    read_instance,
    read_solution,
    route_distance,
    solve,
)

TARGETS = {"C101": 1.0, "R101": 3.0, "RC101": 3.0}


class Row(NamedTuple):
    """One instance's result; a NamedTuple because `servicegate bench` loads this file
    without registering it as a module, which dataclasses need."""

    name: str
    best: float
    distance: float
    vehicles: int
    best_vehicles: int
    dimacs: float
    seconds: float
    cpu_seconds: float
    problems: int
    peer_distance: float = math.nan  # OR-Tools, when asked for
    peer_problems: int = 0

    @property
    def gap(self) -> float:
        return (self.distance / self.best - 1) * 100

    @property
    def dimacs_gap(self) -> float:
        return (self.dimacs / self.best - 1) * 100

    @property
    def peer_gap(self) -> float:
        return (self.peer_distance / self.best - 1) * 100


def dimacs_length(instance: VrptwInstance, routes: list[list[int]]) -> float:
    """Length of ``routes`` with every arc truncated to one decimal (the BKS convention)."""
    dist = np.floor(distance_matrix(instance) * 10) / 10
    return float(sum(dist[[0, *r], [*r, 0]].sum() for r in routes if r))


Task = tuple[Path, float, int, bool, bool]


def solve_ortools(
    instance: VrptwInstance, time_limit: float, scale: int = 10_000
) -> list[list[int]]:
    """The peer: OR-Tools' routing library with guided local search on the same model.

    Same integers as ours (distances × ``scale`` rounded, durations rounded up);
    capacity and time dimensions, at most ``instance.vehicles`` routes.
    """
    from ortools.constraint_solver import (  # type: ignore[import-untyped]
        pywrapcp,
        routing_enums_pb2,
    )

    dist = distance_matrix(instance) * scale
    n = len(dist)
    manager = pywrapcp.RoutingIndexManager(n, instance.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(
        routing.RegisterTransitMatrix(np.rint(dist).astype(np.int64).tolist())
    )
    service = np.ceil(instance.service * scale).astype(np.int64)
    busy = np.ceil(dist - 1e-6).astype(np.int64) + service[:, None]
    horizon = int(np.floor(instance.due[0] * scale))
    routing.AddDimension(
        routing.RegisterTransitMatrix(busy.tolist()), horizon, horizon, False, "time"
    )
    clock = routing.GetDimensionOrDie("time")
    for node in range(1, n):
        early = int(np.ceil(instance.ready[node] * scale))
        late = int(np.floor(instance.due[node] * scale))
        clock.CumulVar(manager.NodeToIndex(node)).SetRange(early, late)
        # a customer may be left out at a prohibitive cost, so a first solution always
        # exists; a route set that leaves one out fails the constraint check
        routing.AddDisjunction([manager.NodeToIndex(node)], 10**12)
    demand = routing.RegisterUnaryTransitVector(instance.demand.tolist())
    routing.AddDimensionWithVehicleCapacity(
        demand, 0, [instance.capacity] * instance.vehicles, True, "load"
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(math.ceil(time_limit * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return []
    routes = []
    for v in range(instance.vehicles):
        index, route = solution.Value(routing.NextVar(routing.Start(v))), []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def solve_all(tasks: list[Task], jobs: int) -> Iterator[Row]:
    """Rows in the order of ``tasks``, solved by ``jobs`` forked worker processes.

    Workers are forked and send plain tuples back, because `servicegate bench` loads
    this file under a name pickle cannot import.
    """
    if jobs <= 1:
        yield from map(run_one, tasks)
        return
    context = multiprocessing.get_context("fork")
    todo: Queue[int | None] = context.Queue()
    done: Queue[tuple[int, tuple[object, ...]]] = context.Queue()

    def work() -> None:
        while (index := todo.get()) is not None:
            done.put((index, tuple(run_one(tasks[index]))))

    workers = [context.Process(target=work, daemon=True) for _ in range(jobs)]
    for index in [*range(len(tasks)), *[None] * jobs]:
        todo.put(index)
    for worker in workers:
        worker.start()
    waiting: dict[int, Row] = {}
    for position in range(len(tasks)):
        while position not in waiting:
            index, values = done.get()
            waiting[index] = Row(*values)  # type: ignore[arg-type]
        yield waiting.pop(position)
    for worker in workers:
        worker.join()


def default_data() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "solomon-vrptw"


def run_one(task: Task) -> Row:
    path, time_limit, seed, cpu, peer = task
    instance = read_instance(path)
    best_routes, best = read_solution(path.with_suffix(".sol"))
    started, cpu_started = time.perf_counter(), time.process_time()
    solution = solve(instance, time_limit_s=time_limit, seed=seed, cpu_time=cpu)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peer_routes = solve_ortools(instance, time_limit) if peer else []
    return Row(
        name=instance.name,
        best=best,
        distance=solution.distance,
        vehicles=solution.vehicles,
        best_vehicles=len(best_routes),
        dimacs=dimacs_length(instance, solution.routes),
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        problems=len(check_routes(instance, solution.routes)),
        peer_distance=route_distance(instance, peer_routes) if peer_routes else math.nan,
        peer_problems=len(check_routes(instance, peer_routes)) if peer else 0,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    parser.add_argument("--instances", default="", help="comma-separated names (default all)")
    parser.add_argument("--data", type=Path, default=default_data(), help="instance folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--cpu", action="store_true", help="limit CPU seconds, not wall-clock (busy machines)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="instances solved in parallel")
    parser.add_argument(
        "--peer",
        action="store_true",
        help="also solve with OR-Tools' guided local search (wall-clock limit; doubles the time)",
    )
    args = parser.parse_args(argv)
    files = sorted(args.data.glob("*.vrp")) if args.data.is_dir() else []
    if args.instances:
        wanted = {name.strip().upper() for name in args.instances.split(",")}
        files = [f for f in files if f.stem.upper() in wanted]
    if not files:
        print(f"No Solomon instances found in {args.data}; pass --data FOLDER.", file=sys.stderr)
        return 2
    clock = "CPU" if args.cpu else "wall-clock"
    print(
        f"Solomon VRPTW, PyVRP {version('pyvrp')} at {args.time_limit:g} {clock} seconds "
        f"per instance, seed {args.seed}, {args.jobs} in parallel"
    )
    header = f"{'instance':<8} {'BKS':>8} {'ours':>10} {'gap %':>7} {'veh':>7} "
    peer_header = f" {'OR-Tools':>10} {'gap %':>7} ok" if args.peer else ""
    print(header + f"{'DIMACS':>8} {'gap %':>7} {'wall s':>6} {'cpu s':>6} ok" + peer_header)
    tasks = [(path, args.time_limit, args.seed, args.cpu, args.peer) for path in files]
    rows = []
    for row in solve_all(tasks, args.jobs):
        rows.append(row)
        print(
            f"{row.name:<8} {row.best:>8.1f} {row.distance:>10.3f} {row.gap:>+7.2f} "
            f"{row.vehicles:>3}/{row.best_vehicles:<3} {row.dimacs:>8.1f} "
            f"{row.dimacs_gap:>+7.2f} {row.seconds:>6.1f} {row.cpu_seconds:>6.1f} "
            f"{'yes' if row.problems == 0 else 'NO'}"
            + (
                f" {row.peer_distance:>10.3f} {row.peer_gap:>+7.2f} "
                f"{'yes' if row.peer_problems == 0 else 'NO'}"
                if args.peer
                else ""
            ),
            flush=True,
        )
    gaps = [r.gap for r in rows]
    print(f"\nmean gap over {len(rows)} instances: {np.mean(gaps):+.3f} % (full precision)")
    print(f"mean gap, DIMACS convention:       {np.mean([r.dimacs_gap for r in rows]):+.3f} %")
    print(f"largest gap: {max(gaps):+.2f} % ({rows[int(np.argmax(gaps))].name})")
    print(f"instances with every constraint kept: {sum(r.problems == 0 for r in rows)}/{len(rows)}")
    if args.peer:
        print(f"OR-Tools mean gap: {np.mean([r.peer_gap for r in rows]):+.3f} % (full precision)")
    for name, target in TARGETS.items():
        found = [r for r in rows if r.name == name]
        if found:
            held = "held" if found[0].gap <= target and found[0].problems == 0 else "MISSED"
            print(f"target {name} ≤ {target:g} %: {found[0].gap:+.2f} % {held}")
    return 0 if all(math.isfinite(g) for g in gaps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
