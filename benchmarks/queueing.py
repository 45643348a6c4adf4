"""Queueing benchmark: our simulation against Ciw and a hand-written SimPy model.

The M/M/14 reference case (100 arrivals per 30 minutes, AHT 180 s, service level
within 20 s) is simulated side by side in one run; every engine is compared with
the Erlang C values (P(wait), service level), and throughputs are reported in
customers per second with the ratios. Ciw and SimPy are slower by orders of
magnitude, so they get fewer customers. Also times the Erlang C staffing solve
for about 10,000 agents.

    python benchmarks/queueing.py [--customers N] [--peer-customers N] [--quick]
    servicegate bench queueing --quick

Benchmarks are not tests: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from servicegate.engines.queueing import erlang_c_metrics, required_agents
from servicegate.engines.simulation import simulate_mmc

RATE = 100 / 1800  # arrivals per second
AHT = 180.0
SERVERS = 14
WITHIN = 20.0


class Run(NamedTuple):
    """One engine's run; a NamedTuple because `servicegate bench` loads this file
    without registering it as a module, which dataclasses need."""

    name: str
    customers: int
    seconds: float
    p_wait: float
    service_level: float

    @property
    def throughput(self) -> float:
        return self.customers / self.seconds


def _figures(waits: NDArray[np.float64]) -> tuple[float, float]:
    return float(np.mean(waits > 1e-9)), float(np.mean(waits <= WITHIN))


def run_ours(customers: int, seed: int) -> Run:
    start = time.perf_counter()
    result = simulate_mmc(
        arrival_rate=RATE,
        aht_seconds=AHT,
        servers=SERVERS,
        customers=customers,
        answer_within_seconds=WITHIN,
        rng=np.random.default_rng(seed),
    )
    elapsed = time.perf_counter() - start
    return Run("servicegate", customers, elapsed, result.p_wait, result.service_level)


def run_ciw(customers: int, seed: int) -> Run:
    import ciw

    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(RATE)],
        service_distributions=[ciw.dists.Exponential(1 / AHT)],
        number_of_servers=[SERVERS],
    )
    horizon = customers / RATE
    warm = 0.05 * horizon
    start = time.perf_counter()
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon + warm)
    elapsed = time.perf_counter() - start
    records = sim.get_all_records()
    waits = np.array([r.waiting_time for r in records if r.arrival_date >= warm])
    p_wait, sl = _figures(waits)
    return Run("ciw", len(records), elapsed, p_wait, sl)  # throughput over all simulated


def run_simpy(customers: int, seed: int) -> Run:
    import simpy

    rng = np.random.default_rng(seed)
    inter = rng.exponential(1 / RATE, customers).tolist()
    service = rng.exponential(AHT, customers).tolist()
    waits: list[float] = []
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=SERVERS)

    def customer(k: int) -> object:
        arrived = env.now
        with agents.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(service[k])

    def source() -> object:
        for k in range(customers):
            yield env.timeout(inter[k])
            env.process(customer(k))  # type: ignore[arg-type]

    env.process(source())  # type: ignore[arg-type]
    start = time.perf_counter()
    env.run()
    elapsed = time.perf_counter() - start
    p_wait, sl = _figures(np.asarray(waits[customers // 20 :]))
    return Run("simpy", customers, elapsed, p_wait, sl)


def time_staffing(repeats: int) -> tuple[int, float]:
    """Agents and µs per solve for ~10,000 agents (offered load 9,950 Erlangs)."""
    rate = 9_950 / AHT

    def solve() -> int:
        return required_agents(
            arrival_rate=rate,
            aht_seconds=AHT,
            answer_within_seconds=WITHIN,
            target_service_level=0.8,
        ).agents

    agents = solve()
    start = time.perf_counter()
    for _ in range(repeats):
        solve()
    return agents, (time.perf_counter() - start) / repeats * 1e6


def _row(run: Run, ref_wait: float, ref_sl: float, ours: Run | None) -> str:
    ratio = "" if ours is None or run is ours else f"{ours.throughput / run.throughput:8.1f}x"
    return (
        f"{run.name:<12} {run.customers:>10,} {run.seconds:8.2f} {run.throughput:>13,.0f} "
        f"{run.p_wait - ref_wait:+9.4f} {run.service_level - ref_sl:+9.4f} {ratio:>9}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="servicegate bench queueing", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--customers", type=int, default=2_000_000, help="customers for our simulation"
    )
    parser.add_argument(
        "--peer-customers", type=int, default=100_000, help="customers for Ciw and SimPy"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="200k ours, 20k peers")
    args = parser.parse_args(argv)
    ours_n, peer_n = (200_000, 20_000) if args.quick else (args.customers, args.peer_customers)
    ref = erlang_c_metrics(
        agents=SERVERS, arrival_rate=RATE, aht_seconds=AHT, answer_within_seconds=WITHIN
    )
    print(
        f"M/M/{SERVERS}: {RATE * 1800:.0f} arrivals / 30 min, AHT {AHT:.0f} s, "
        f"SL within {WITHIN:.0f} s"
    )
    print(f"Erlang C: P(wait) {ref.p_wait:.4f}, service level {ref.service_level:.4f}\n")
    runners: list[Callable[[int, int], Run]] = [run_ours, run_ciw, run_simpy]
    counts = [ours_n, peer_n, peer_n]
    runs = [runner(n, args.seed) for runner, n in zip(runners, counts, strict=True)]
    ours = runs[0]
    print(
        f"{'engine':<12} {'customers':>10} {'seconds':>8} {'customers/s':>13} "
        f"{'ΔP(wait)':>9} {'ΔSL':>9} {'ours is':>9}"
    )
    for run in runs:
        print(_row(run, ref.p_wait, ref.service_level, ours))
    agents, micro = time_staffing(200 if args.quick else 2000)
    print(
        f"\nstaffing solve, offered load 9,950 Erlangs → {agents:,} agents: "
        f"{micro:.0f} µs per solve"
    )
    if not math.isfinite(ours.throughput):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
