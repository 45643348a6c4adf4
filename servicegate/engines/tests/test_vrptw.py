"""VRPTW: VRPLIB and Solomon files read alike, malformed files are refused with one
sentence, PyVRP's routes keep every constraint in exact arithmetic and match the
brute-force optimum of a small instance, and ``servicegate schedule vrptw`` answers
in JSON or exits 2."""

from __future__ import annotations

import itertools
import json
import math
import time
from pathlib import Path

import numpy as np
import pytest

from servicegate.cli import main
from servicegate.engines.vrptw import (
    CpuTimeLimit,
    VrpFormatError,
    VrptwInstance,
    check_routes,
    parse_instance,
    read_instance,
    read_solution,
    route_distance,
    solve,
)

# depot 1 and six customers; capacity 20 forces at least two routes
VRPLIB = """NAME : tiny
TYPE : CVRPTW
DIMENSION : 7
VEHICLES : 3
CAPACITY : 20
SERVICE_TIME : 5
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 3 4
3 6 1
4 -2 7
5 -5 -3
6 1 -6
7 7.5 -2.5
DEMAND_SECTION
1 0
2 6
3 7
4 5
5 8
6 4
7 6
TIME_WINDOW_SECTION
1 0 200
2 0 100
3 10 60
4 0 200
5 0 200
6 20 90
7 0 200
DEPOT_SECTION
1
-1
EOF
"""

SOLOMON = """tiny

VEHICLE
NUMBER     CAPACITY
  3         20

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME
    0      0          0          0          0        200          0
    1      3          4          6          0        100          5
    2      6          1          7         10         60          5
    3     -2          7          5          0        200          5
    4     -5         -3          8          0        200          5
    5      1         -6          4         20         90          5
    6      7.5       -2.5        6          0        200          5
"""


def tiny() -> VrptwInstance:
    return parse_instance(VRPLIB, name="tiny")


def brute_force(instance: VrptwInstance) -> float:
    """Least distance over every customer order split into feasible routes."""
    best = math.inf
    n = instance.customers
    for order in itertools.permutations(range(1, n + 1)):
        for cuts in itertools.product((False, True), repeat=n - 1):
            routes, current = [], [order[0]]
            for c, cut in zip(order[1:], cuts, strict=True):
                if cut:
                    routes.append(current)
                    current = []
                current.append(c)
            routes.append(current)
            if len(routes) <= instance.vehicles and not check_routes(instance, routes):
                best = min(best, route_distance(instance, routes))
    return best


def test_vrplib_and_solomon_files_read_the_same() -> None:
    a, b = tiny(), parse_instance(SOLOMON, name="tiny")
    assert np.array_equal(a.coords, b.coords) and np.array_equal(a.demand, b.demand)
    assert np.array_equal(a.ready, b.ready) and np.array_equal(a.due, b.due)
    # VRPLIB's SERVICE_TIME header is the customers'; the depot has none in either
    assert np.array_equal(a.service, b.service) and a.service[0] == 0
    assert (
        (a.capacity, a.vehicles, a.customers) == (b.capacity, b.vehicles, b.customers) == (20, 3, 6)
    )


def test_the_solver_finds_the_brute_force_optimum_in_full_precision() -> None:
    instance = tiny()
    solution = solve(instance, time_limit_s=0.5)
    assert check_routes(instance, solution.routes) == []
    assert solution.distance == pytest.approx(route_distance(instance, solution.routes))
    assert solution.distance == pytest.approx(brute_force(instance), rel=1e-9)
    assert solution.vehicles == len(solution.routes) >= 2


def test_check_routes_names_each_broken_constraint() -> None:
    instance = tiny()
    assert "not every customer is served exactly once" in check_routes(instance, [[1, 2]])
    assert "route 1 exceeds the capacity" in check_routes(instance, [[1, 2, 3, 4, 5, 6]])
    late = check_routes(instance, [[1, 3, 4, 5, 6, 2]])
    assert "route 1 reaches customer 2 after its window" in late


BROKEN = {
    "not numeric": VRPLIB.replace("2 3 4", "2 three 4"),
    "must list each of the 7 nodes once": VRPLIB.replace("7 7.5 -2.5\n", ""),
    "exactly one depot": VRPLIB.replace("1\n-1", "1\n2\n-1"),
    "only EUC_2D": VRPLIB.replace("EUC_2D", "EXPLICIT"),
    "customer 4 needs 8, more than the capacity 7": VRPLIB.replace("CAPACITY : 20", "CAPACITY : 7"),
    "customer 2 cannot be served inside its time window": VRPLIB.replace("3 10 60", "3 0 2"),
    "window must not end before it opens": VRPLIB.replace("3 10 60", "3 60 10"),
    "neither VRPLIB": "hello\n",
    "a row of the DEMAND_SECTION is not 'id' and 1 value(s)": VRPLIB.replace("2 6\n", "2 6 1\n"),
    "header DIMENSION": VRPLIB.replace("DIMENSION : 7", "DIMENSION : seven"),
    "7 numbers": SOLOMON.replace(
        "    6      7.5       -2.5        6          0        200", "    6"
    ),
}


@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_a_malformed_file_is_refused_with_one_sentence(fault: str) -> None:
    with pytest.raises(VrpFormatError) as caught:
        parse_instance(BROKEN[fault], name="x", source="x.vrp")
    message = str(caught.value)
    assert fault in message
    assert message.startswith("x.vrp is not a valid VRPTW instance: ")
    assert message.endswith(".") and "\n" not in message


def test_the_cli_answers_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tiny.vrp").write_text(VRPLIB, encoding="utf-8")
    code = main(["schedule", "vrptw", str(tmp_path / "tiny.vrp"), "--time-limit", "0.3", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) == {"routes", "distance", "vehicles"}
    assert sorted(c for route in out["routes"] for c in route) == [1, 2, 3, 4, 5, 6]
    assert out["vehicles"] == len(out["routes"])
    assert out["distance"] == pytest.approx(route_distance(tiny(), out["routes"]))


@pytest.mark.parametrize(
    ("text", "extra", "sentence"),
    [
        (BROKEN["exactly one depot"], [], "must name exactly one depot among the nodes."),
        (VRPLIB, ["--time-limit", "0"], "The time limit (--time-limit 0) must be positive."),
        (VRPLIB, ["--time-limit", "soon"], "is not understood"),
    ],
)
def test_the_cli_exits_2_with_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, extra: list[str], sentence: str
) -> None:
    (tmp_path / "bad.vrp").write_text(text, encoding="utf-8")
    code = main(["schedule", "vrptw", str(tmp_path / "bad.vrp"), "--json", *extra])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.startswith("servicegate: error: ")
    assert sentence in captured.err and captured.err.count("\n") == 1


def test_a_missing_file_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(VrpFormatError, match=r"^Cannot read .*missing\.vrp: No such file"):
        read_instance(tmp_path / "missing.vrp")


@pytest.mark.realdata
def test_c101_is_solved_within_one_percent_of_the_best_known(shared_data: Path) -> None:
    folder = shared_data / "solomon-vrptw"
    instance = read_instance(folder / "C101.vrp")
    best_routes, best = read_solution(folder / "C101.sol")
    assert (instance.customers, instance.vehicles, instance.capacity) == (100, 25, 200)
    assert check_routes(instance, best_routes) == []
    solution = solve(instance, time_limit_s=3)
    assert check_routes(instance, solution.routes) == []
    assert solution.distance <= best * 1.01


def test_a_cpu_time_limit_stops_after_the_process_has_worked_that_long() -> None:
    stop = CpuTimeLimit(0.05)
    assert stop(0.0) is False
    deadline = time.process_time() + 0.06
    while time.process_time() < deadline:
        pass
    assert stop(0.0) is True
    solution = solve(tiny(), time_limit_s=0.2, cpu_time=True)
    assert solution.distance == pytest.approx(brute_force(tiny()), rel=1e-9)
