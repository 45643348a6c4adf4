"""Solomon VRPTW benchmark: PyVRP's routes against the best known solutions.

Solves all 56 Solomon instances (100 customers; C1, C2, R1, R2, RC1, RC2) with
:func:`servicegate.engines.vrptw.solve` at the same time limit each and prints, per
instance, the best-known distance (BKS, CVRPLIB, distance-only), our full-precision
distance and its gap, the number of vehicles, and the same routes' length in the
DIMACS convention the BKS use (each arc truncated to one decimal), so the share of
the gap that is the convention shows. Every route set is checked in exact arithmetic
(capacity, windows, depot closing) before it counts. Ends with the mean gaps and the
issue's targets (C101 ≤ 1 %, R101 and RC101 ≤ 3 %).

    python benchmarks/solomon.py --time-limit 30
    python benchmarks/solomon.py --time-limit 5 --instances C101,R101,RC101
    servicegate bench solomon --time-limit 30

The instances live in ../shared/data/solomon-vrptw beside the checkout (``--data``).
Benchmarks are not tests: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

from servicegate.engines.vrptw import (
    VrptwInstance,
    check_routes,
    distance_matrix,
    read_instance,
    read_solution,
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
    problems: int

    @property
    def gap(self) -> float:
        return (self.distance / self.best - 1) * 100

    @property
    def dimacs_gap(self) -> float:
        return (self.dimacs / self.best - 1) * 100


def dimacs_length(instance: VrptwInstance, routes: list[list[int]]) -> float:
    """Length of ``routes`` with every arc truncated to one decimal (the BKS convention)."""
    dist = np.floor(distance_matrix(instance) * 10) / 10
    return float(sum(dist[[0, *r], [*r, 0]].sum() for r in routes if r))


def default_data() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "solomon-vrptw"


def run_one(path: Path, time_limit: float, seed: int) -> Row:
    instance = read_instance(path)
    best_routes, best = read_solution(path.with_suffix(".sol"))
    started = time.perf_counter()
    solution = solve(instance, time_limit_s=time_limit, seed=seed)
    seconds = time.perf_counter() - started
    return Row(
        name=instance.name,
        best=best,
        distance=solution.distance,
        vehicles=solution.vehicles,
        best_vehicles=len(best_routes),
        dimacs=dimacs_length(instance, solution.routes),
        seconds=seconds,
        problems=len(check_routes(instance, solution.routes)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    parser.add_argument("--instances", default="", help="comma-separated names (default all)")
    parser.add_argument("--data", type=Path, default=default_data(), help="instance folder")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    files = sorted(args.data.glob("*.vrp")) if args.data.is_dir() else []
    if args.instances:
        wanted = {name.strip().upper() for name in args.instances.split(",")}
        files = [f for f in files if f.stem.upper() in wanted]
    if not files:
        print(f"No Solomon instances found in {args.data}; pass --data FOLDER.", file=sys.stderr)
        return 2
    print(f"Solomon VRPTW, PyVRP at {args.time_limit:g} s per instance, seed {args.seed}")
    header = f"{'instance':<8} {'BKS':>8} {'ours':>10} {'gap %':>7} {'veh':>7} "
    print(header + f"{'DIMACS':>8} {'gap %':>7} {'s':>5} ok")
    rows = []
    for path in files:
        row = run_one(path, args.time_limit, args.seed)
        rows.append(row)
        print(
            f"{row.name:<8} {row.best:>8.1f} {row.distance:>10.3f} {row.gap:>+7.2f} "
            f"{row.vehicles:>3}/{row.best_vehicles:<3} {row.dimacs:>8.1f} {row.dimacs_gap:>+7.2f} "
            f"{row.seconds:>5.1f} {'yes' if row.problems == 0 else 'NO'}",
            flush=True,
        )
    gaps = [r.gap for r in rows]
    print(f"\nmean gap over {len(rows)} instances: {np.mean(gaps):+.3f} % (full precision)")
    print(f"mean gap, DIMACS convention:       {np.mean([r.dimacs_gap for r in rows]):+.3f} %")
    print(f"largest gap: {max(gaps):+.2f} % ({rows[int(np.argmax(gaps))].name})")
    print(f"instances with every constraint kept: {sum(r.problems == 0 for r in rows)}/{len(rows)}")
    for name, target in TARGETS.items():
        found = [r for r in rows if r.name == name]
        if found:
            held = "held" if found[0].gap <= target and found[0].problems == 0 else "MISSED"
            print(f"target {name} ≤ {target:g} %: {found[0].gap:+.2f} % {held}")
    return 0 if all(math.isfinite(g) for g in gaps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
