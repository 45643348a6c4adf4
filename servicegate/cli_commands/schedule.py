"""``servicegate schedule vrptw FILE``: routes for a VRPLIB or Solomon VRPTW instance.

Reads the file (:func:`servicegate.engines.vrptw.read_instance`), solves it with PyVRP
within ``--time-limit`` and prints the routes (customer numbers 1..n), the total
full-precision Euclidean distance and the number of vehicles used; ``--json`` prints
``{"routes": [[…]], "distance": …, "vehicles": …}``. A file that cannot be read or
solved exits with code 2 and one sentence. Never imports Django.
"""

from __future__ import annotations

import argparse
import json
import sys

from servicegate.cli_commands.staffing import parse_duration
from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.vrptw import VrpFormatError, read_instance, solve

__all__ = ["register"]


def run_vrptw(args: argparse.Namespace) -> int:
    """Solve one instance and print the routes."""
    try:
        limit = parse_duration(args.time_limit, "--time-limit")
        if not limit > 0:
            raise PlanningInputError(
                f"The time limit (--time-limit {args.time_limit}) must be positive."
            )
        instance = read_instance(args.file)
        solution = solve(instance, time_limit_s=limit, seed=args.seed)
    except (PlanningInputError, VrpFormatError) as exc:
        print(f"servicegate: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        payload = {
            "routes": solution.routes,
            "distance": solution.distance,
            "vehicles": solution.vehicles,
        }
        print(json.dumps(payload))
        return 0
    print(f"{instance.name}: {instance.customers} customers, {solution.vehicles} vehicles")
    for k, route in enumerate(solution.routes, start=1):
        print(f"Route #{k}: {' '.join(str(c) for c in route)}")
    print(f"Distance {solution.distance:.4f}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("schedule", help="vehicle routing without the database")
    kinds = parser.add_subparsers(dest="kind", required=True)
    vrptw = kinds.add_parser(
        "vrptw",
        help="routes of least distance for a VRPLIB or Solomon VRPTW file (PyVRP)",
        description="Solve a capacitated vehicle routing problem with time windows.",
    )
    vrptw.add_argument("file", help="instance in VRPLIB (.vrp) or Solomon (.txt) format")
    vrptw.add_argument(
        "--time-limit", default="10", help="search time, e.g. 30 or 30s (default 10 s)"
    )
    vrptw.add_argument("--seed", type=int, default=0, help="seed of the search (default 0)")
    vrptw.add_argument("--json", action="store_true", help="print JSON instead of text")
    vrptw.set_defaults(func=run_vrptw)
