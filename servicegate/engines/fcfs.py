"""The first-come-first-served multi-server queue, fast: M/M/c and M/M/c+M.

:func:`fcfs_waits` runs the Kiefer–Wolfowitz workload recursion: with the
server-free times kept in a heap, customer *k* starts at ``max(a_k, min free)`` and
that server becomes free at ``start + s_k``; an impatient customer whose wait would
exceed the patience leaves without touching the heap (in FCFS later arrivals never
delay earlier ones). About two million customers per second in pure Python.
:func:`simulate_mmc` draws Poisson arrivals and exponential handling times and
patience for it. :func:`servicegate.engines.simulation.simulate` uses the same
recursion as its fast path.

Times are seconds, rates per second. Randomness comes only from the
``numpy.random.Generator`` passed in. Pure Python/numpy; never imports Django.

Reference: J. Kiefer, J. Wolfowitz, "On the theory of queues with many servers",
Trans. AMS 78 (1955).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.simulation_results import SimulationResult, result_from_records
from servicegate.engines.workload import FloatArray, require_positive

__all__ = ["fcfs_waits", "simulate_mmc"]


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
    require_positive("arrival rate", arrival_rate)
    require_positive("average handling time", aht_seconds)
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
        require_positive("mean patience", patience_seconds)
        patience = patience_rng.exponential(patience_seconds, total)
    waits, abandoned = fcfs_waits(arrivals, services, servers, patience)
    waits, abandoned, services = waits[warm:], abandoned[warm:], services[warm:]
    response = np.where(abandoned, np.inf, waits)
    resolution = response + services
    cls = np.zeros(customers, dtype=np.intp)
    records = (waits, response, resolution, abandoned, cls)
    return result_from_records(["all"], records, answer_within_seconds, None)
