"""Vehicle routing with time windows (VRPTW) on PyVRP, and the VRPLIB/Solomon readers.

:func:`read_instance` reads a capacitated VRPTW instance in VRPLIB format
(``NODE_COORD_SECTION``, ``DEMAND_SECTION``, ``TIME_WINDOW_SECTION``,
``SERVICE_TIME_SECTION`` or a ``SERVICE_TIME`` header, ``DEPOT_SECTION``) or in
Solomon's original text format (``VEHICLE`` / ``CUSTOMER`` tables). A file it cannot
read raises :class:`VrpFormatError` with one sentence naming the file and the fault.

:func:`solve` minimises the total distance travelled with PyVRP's hybrid genetic
search: every customer served once, each vehicle's load within the capacity, service
*starting* inside the customer's window (waiting when early is allowed), every
vehicle back at the depot before the depot's window closes, at most ``vehicles``
routes. Distances are full-precision Euclidean and travel time equals distance (the
Solomon convention). PyVRP works on integers, so the solver sees distances scaled
by ``scale`` (default 10⁴) and rounded, and durations scaled and rounded *up*, so
that every route feasible for the solver is feasible in exact arithmetic; the
reported distance is recomputed in floating point from the coordinates.

Customers are numbered 1..n in the order of the file with the depot left out (the
numbering of the best-known ``.sol`` files). Pure numpy and PyVRP; never imports
Django.

References: M. M. Solomon, Operations Research 35 (1987) 254–265 (the instances);
T. Vidal, "Hybrid genetic search for the CVRP", Computers & OR 140 (2022);
N. A. Wouda, L. Lan, W. Kool, "PyVRP: a high-performance VRP solver package",
INFORMS J. Computing 36 (2024).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyvrp
from numpy.typing import NDArray
from pyvrp.stop import MaxRuntime

__all__ = [
    "CpuTimeLimit",
    "VrpFormatError",
    "VrptwInstance",
    "VrptwSolution",
    "check_routes",
    "distance_matrix",
    "parse_instance",
    "read_instance",
    "read_solution",
    "route_distance",
    "solve",
]

FloatArray = NDArray[np.float64]


class VrpFormatError(ValueError):
    """An instance file that cannot be read or solved (the message is one sentence)."""


@dataclass(frozen=True)
class VrptwInstance:
    """A VRPTW instance; row 0 of every array is the depot, rows 1..n the customers."""

    name: str
    coords: FloatArray  # (n + 1, 2)
    demand: NDArray[np.int64]
    ready: FloatArray  # earliest start of service
    due: FloatArray  # latest start of service (the depot's: latest return)
    service: FloatArray
    capacity: int
    vehicles: int

    @property
    def customers(self) -> int:
        """The number of customers (the depot excluded)."""
        return len(self.coords) - 1


@dataclass(frozen=True)
class VrptwSolution:
    """Routes as lists of customer numbers (1..n), total distance, routes used."""

    routes: list[list[int]]
    distance: float
    vehicles: int


_HEADER = re.compile(r"^\s*([A-Z_]+)\s*:\s*(.*?)\s*$")
_SECTIONS = {
    "NODE_COORD_SECTION",
    "DEMAND_SECTION",
    "TIME_WINDOW_SECTION",
    "SERVICE_TIME_SECTION",
    "DEPOT_SECTION",
}


def read_instance(path: str | Path) -> VrptwInstance:
    """Read a VRPLIB or Solomon VRPTW file (see the module); one sentence on a fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a text file"
        raise VrpFormatError(f"Cannot read {path}: {reason}.") from None
    return parse_instance(text, name=path.stem, source=str(path))


def parse_instance(text: str, *, name: str, source: str = "the instance") -> VrptwInstance:
    """Parse the text of a VRPLIB or Solomon instance (format detected by its keywords)."""
    try:
        if "NODE_COORD_SECTION" in text:
            instance = _parse_vrplib(text, name)
        elif re.search(r"^\s*CUSTOMER\s*$", text, flags=re.MULTILINE):
            instance = _parse_solomon(text, name)
        else:
            raise VrpFormatError(
                "it is neither VRPLIB (no NODE_COORD_SECTION) nor Solomon (no CUSTOMER table)"
            )
        _validate(instance)
    except VrpFormatError as exc:
        raise VrpFormatError(f"{source} is not a valid VRPTW instance: {exc}.") from None
    return instance


def _numbers(line: str, where: str) -> list[float]:
    try:
        values = [float(x) for x in line.split()]
    except ValueError:
        raise VrpFormatError(f"the line {line.strip()!r} in {where} is not numeric") from None
    if not all(math.isfinite(v) for v in values):
        raise VrpFormatError(f"the line {line.strip()!r} in {where} holds a non-finite number")
    return values


def _parse_vrplib(text: str, name: str) -> VrptwInstance:
    headers: dict[str, str] = {}
    sections: dict[str, list[list[float]]] = {}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        keyword = line.split()[0].rstrip(":")
        if keyword == "EOF":
            break
        if keyword in _SECTIONS:
            current = keyword
            sections[current] = []
        elif (match := _HEADER.match(line)) and current is None:
            headers[match.group(1)] = match.group(2)
        elif current is None:
            raise VrpFormatError(f"the line {line!r} is neither a header nor in a section")
        else:
            sections[current].append(_numbers(line, current))
    weight_type = headers.get("EDGE_WEIGHT_TYPE", "EUC_2D")
    if weight_type != "EUC_2D":
        raise VrpFormatError(f"only EUC_2D distances are supported, not {weight_type}")
    size = int(_header_number(headers, "DIMENSION", len(sections["NODE_COORD_SECTION"])))
    coords = _table(sections, "NODE_COORD_SECTION", size, 2, None)
    demand = _table(sections, "DEMAND_SECTION", size, 1, 0.0)[:, 0]
    windows = _table(sections, "TIME_WINDOW_SECTION", size, 2, None, default=(0.0, math.inf))
    default_service = _header_number(headers, "SERVICE_TIME", 0.0)
    service = _table(sections, "SERVICE_TIME_SECTION", size, 1, default_service)[:, 0]
    depots = [int(row[0]) for row in sections.get("DEPOT_SECTION", [[1.0]]) if row[0] != -1]
    if len(depots) != 1 or not 1 <= depots[0] <= size:
        raise VrpFormatError("the DEPOT_SECTION must name exactly one depot among the nodes")
    order = [depots[0] - 1] + [i for i in range(size) if i != depots[0] - 1]
    capacity = _header_number(headers, "CAPACITY", math.inf)
    vehicles = _header_number(headers, "VEHICLES", size - 1)
    service = service[order]
    service[0] = 0.0  # a SERVICE_TIME header means the customers; vehicles leave at once
    return _instance(
        name, coords[order], demand[order], windows[order], service, capacity, vehicles
    )


def _header_number(headers: dict[str, str], key: str, default: float) -> float:
    if key not in headers:
        return default
    try:
        value = float(headers[key])
    except ValueError:
        raise VrpFormatError(f"the header {key} ({headers[key]!r}) is not a number") from None
    if not value >= 0 or (key != "SERVICE_TIME" and value != int(value)):
        raise VrpFormatError(f"the header {key} ({headers[key]!r}) must be a whole number")
    return value


def _table(
    sections: dict[str, list[list[float]]],
    section: str,
    size: int,
    width: int,
    fill: float | None,
    default: tuple[float, ...] | None = None,
) -> FloatArray:
    """Rows ``id v1 .. v_width`` for node ids 1..size, every id exactly once."""
    if section not in sections:
        if default is None and fill is None:
            raise VrpFormatError(f"the {section} is missing")
        value = default if default is not None else (fill,) * width
        return np.tile(np.asarray(value, dtype=np.float64), (size, 1))
    rows = sections[section]
    table = np.full((size, width), np.nan)
    for row in rows:
        if len(row) != width + 1 or row[0] != int(row[0]) or not 1 <= row[0] <= size:
            raise VrpFormatError(f"a row of the {section} is not 'id' and {width} value(s)")
        table[int(row[0]) - 1] = row[1:]
    if len(rows) != size or np.isnan(table).any():
        raise VrpFormatError(f"the {section} must list each of the {size} nodes once")
    return table


def _parse_solomon(text: str, name: str) -> VrptwInstance:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        vehicle_at = lines.index("VEHICLE")
        customer_at = lines.index("CUSTOMER")
    except ValueError:
        raise VrpFormatError("the VEHICLE and CUSTOMER tables are both required") from None
    fleet = (
        _numbers(lines[vehicle_at + 2], "the VEHICLE table") if len(lines) > vehicle_at + 2 else []
    )
    if len(fleet) != 2:
        raise VrpFormatError("the VEHICLE table must give the number of vehicles and the capacity")
    rows = [_numbers(line, "the CUSTOMER table") for line in lines[customer_at + 2 :]]
    if len(rows) < 2 or any(len(row) != 7 for row in rows):
        raise VrpFormatError("each CUSTOMER row must hold 7 numbers and the depot needs customers")
    table = np.asarray(rows, dtype=np.float64)
    if sorted(table[:, 0].tolist()) != list(range(len(rows))):
        raise VrpFormatError("the customers must be numbered 0 (the depot) to n")
    table = table[np.argsort(table[:, 0])]
    return _instance(
        name, table[:, 1:3], table[:, 3], table[:, 4:6], table[:, 6], fleet[1], fleet[0]
    )


def _instance(
    name: str,
    coords: FloatArray,
    demand: FloatArray,
    windows: FloatArray,
    service: FloatArray,
    capacity: float,
    vehicles: float,
) -> VrptwInstance:
    if (demand != np.round(demand)).any() or (demand < 0).any():
        raise VrpFormatError("demands must be whole numbers of at least 0")
    if len(coords) < 2:
        raise VrpFormatError("it has no customers")
    return VrptwInstance(
        name=name,
        coords=np.asarray(coords, dtype=np.float64),
        demand=demand.astype(np.int64),
        ready=np.asarray(windows[:, 0], dtype=np.float64),
        due=np.asarray(windows[:, 1], dtype=np.float64),
        service=np.asarray(service, dtype=np.float64),
        capacity=int(min(capacity, np.iinfo(np.int64).max // 2)),
        vehicles=int(vehicles),
    )


def _validate(instance: VrptwInstance) -> None:
    """Faults that make the instance unsolvable, found customer by customer."""
    if instance.vehicles < 1:
        raise VrpFormatError("it has no vehicles")
    if (instance.service < 0).any() or (instance.ready > instance.due).any():
        raise VrpFormatError(
            "service times must be at least 0 and every window must not end before it opens"
        )
    dist = distance_matrix(instance)
    for c in range(1, instance.customers + 1):
        if instance.demand[c] > instance.capacity:
            raise VrpFormatError(
                f"customer {c} needs {instance.demand[c]}, "
                f"more than the capacity {instance.capacity}"
            )
        start = max(instance.ready[0] + dist[0, c], instance.ready[c])
        if start > instance.due[c] or start + instance.service[c] + dist[c, 0] > instance.due[0]:
            raise VrpFormatError(
                f"customer {c} cannot be served inside its time window even by a vehicle of its own"
            )


def distance_matrix(instance: VrptwInstance) -> FloatArray:
    """Full-precision Euclidean distances between all nodes (depot first)."""
    diff = instance.coords[:, None, :] - instance.coords[None, :, :]
    return np.asarray(np.hypot(diff[..., 0], diff[..., 1]))


def route_distance(instance: VrptwInstance, routes: list[list[int]]) -> float:
    """Total full-precision distance of ``routes`` (customer numbers), depot to depot."""
    dist = distance_matrix(instance)
    return float(
        sum(
            dist[np.asarray([0, *route]), np.asarray([*route, 0])].sum()
            for route in routes
            if route
        )
    )


def check_routes(instance: VrptwInstance, routes: list[list[int]]) -> list[str]:
    """Every constraint ``routes`` break, in exact arithmetic (an empty list if none)."""
    problems: list[str] = []
    served = sorted(c for route in routes for c in route)
    if served != list(range(1, instance.customers + 1)):
        problems.append("not every customer is served exactly once")
    if len([r for r in routes if r]) > instance.vehicles:
        problems.append(f"more than {instance.vehicles} routes")
    dist = distance_matrix(instance)
    for k, route in enumerate(routes):
        if not all(1 <= c <= instance.customers for c in route):
            problems.append(f"route {k + 1} names an unknown customer")
            continue
        if instance.demand[route].sum() > instance.capacity:
            problems.append(f"route {k + 1} exceeds the capacity")
        here, clock = 0, float(instance.ready[0])
        for c in route:
            start = max(clock + dist[here, c], instance.ready[c])
            if start > instance.due[c] + 1e-9:
                problems.append(f"route {k + 1} reaches customer {c} after its window")
            here, clock = c, start + instance.service[c]
        if clock + dist[here, 0] > instance.due[0] + 1e-9:
            problems.append(f"route {k + 1} returns after the depot closes")
    return problems


class CpuTimeLimit:
    """PyVRP stopping criterion: ``seconds`` of this process's CPU time.

    On a busy machine a wall-clock limit gives the search less work than the same
    limit on an idle one; CPU time gives it the same work either way (PyVRP's search
    runs in this process's thread).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started: float | None = None

    def __call__(self, best_cost: float) -> bool:
        if self.started is None:
            self.started = time.process_time()
        return time.process_time() - self.started > self.seconds


def solve(
    instance: VrptwInstance,
    *,
    time_limit_s: float,
    seed: int = 0,
    scale: int = 10_000,
    cpu_time: bool = False,
) -> VrptwSolution:
    """Routes of least total distance found by PyVRP within ``time_limit_s`` seconds.

    The limit is wall-clock time, or this process's CPU time when ``cpu_time``.
    Raises :class:`VrpFormatError` when no feasible solution was found in time.
    """
    if not time_limit_s > 0:
        raise VrpFormatError(f"The time limit must be positive, not {time_limit_s}.")
    data = _problem_data(instance, scale)
    stop = CpuTimeLimit(time_limit_s) if cpu_time else MaxRuntime(time_limit_s)
    result = pyvrp.solve(data, stop=stop, seed=seed, collect_stats=False, display=False)
    if not result.is_feasible():
        raise VrpFormatError(
            f"No feasible routes for {instance.name} were found within {time_limit_s:g} s; "
            "allow more time or more vehicles."
        )
    # a client activity's index counts the clients from 0; customers count from 1
    routes = [[a.idx + 1 for a in route if a.is_client()] for route in result.best.routes()]
    routes = [route for route in routes if route]
    return VrptwSolution(
        routes=routes, distance=route_distance(instance, routes), vehicles=len(routes)
    )


def _problem_data(instance: VrptwInstance, scale: int) -> pyvrp.ProblemData:
    """The instance in PyVRP's integers: distances rounded, durations rounded up."""
    dist = distance_matrix(instance) * scale
    locations = [pyvrp.Location(x=float(x), y=float(y)) for x, y in instance.coords]

    def ticks(value: float, *, up: bool = True) -> int:
        """``value`` in solver units, rounded towards the safe side; infinity stays huge."""
        if not math.isfinite(value):
            return int(np.iinfo(np.int64).max // 4)
        return math.ceil(value * scale) if up else math.floor(value * scale)

    clients = [
        pyvrp.Client(
            location=c,
            delivery=[int(instance.demand[c])],
            service_duration=ticks(instance.service[c]),
            tw_early=ticks(instance.ready[c]),
            tw_late=ticks(instance.due[c], up=False),
        )
        for c in range(1, instance.customers + 1)
    ]
    depot = pyvrp.Depot(
        location=0, tw_early=ticks(instance.ready[0]), tw_late=ticks(instance.due[0], up=False)
    )
    vehicle = pyvrp.VehicleType(
        num_available=instance.vehicles,
        capacity=[instance.capacity],
        tw_early=ticks(instance.ready[0]),
        tw_late=ticks(instance.due[0], up=False),
    )
    return pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=[depot],
        vehicle_types=[vehicle],
        # PyVRP's stubs type a matrix as ndarray[int, ...]
        distance_matrices=[np.rint(dist).astype(np.int64)],  # type: ignore[list-item]
        duration_matrices=[np.ceil(dist - 1e-6).astype(np.int64)],  # type: ignore[list-item]
    )


def read_solution(path: str | Path) -> tuple[list[list[int]], float]:
    """The routes and cost of a best-known ``.sol`` file (``Route #k: …`` and ``Cost …``)."""
    routes: list[list[int]] = []
    cost = math.nan
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("Route"):
            routes.append([int(c) for c in line.split(":", 1)[1].split()])
        elif line.startswith("Cost"):
            cost = float(line.split()[1])
    return routes, cost
