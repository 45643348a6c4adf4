"""``servicegate simulate queue``: simulate an M/M/c (or M/M/c+M) queue.

Prints customers, P(wait), service level and ASA, with 95 % confidence intervals
when ``--replications`` is above 1, next to the Erlang C / A values. Never imports
Django.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from servicegate.cli_commands.staffing import (
    parse_count,
    parse_duration,
    parse_number,
    print_table,
    run_safely,
)
from servicegate.engines.queueing import (
    PlanningInputError,
    QueueMetrics,
    erlang_a,
    erlang_c_metrics,
)
from servicegate.engines.simulation import (
    ReplicationSummary,
    SimulationResult,
    replicate,
    simulate_mmc,
)

__all__ = ["register"]

_FIGURES = ("p_wait", "service_level", "asa_seconds", "p_abandon")


def _reference(
    args: argparse.Namespace, rate: float, aht: float, within: float
) -> QueueMetrics | None:
    """Closed-form values for comparison (None when Erlang C has no steady state)."""
    servers = parse_count(args.servers, "--servers")
    try:
        if args.patience is not None:
            patience = parse_duration(args.patience, "--patience")
            return erlang_a(
                agents=servers,
                arrival_rate=rate,
                aht_seconds=aht,
                patience_seconds=patience,
                answer_within_seconds=within,
            )
        return erlang_c_metrics(
            agents=servers, arrival_rate=rate, aht_seconds=aht, answer_within_seconds=within
        )
    except PlanningInputError:
        return None


def _payload(summary: ReplicationSummary, patience: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"customers": summary.customers, "replications": summary.replications}
    for name in _FIGURES:
        if name == "p_abandon" and not patience:
            continue
        est = summary.estimates[name]
        out[name] = est.mean
        if summary.replications > 1:
            out[f"{name}_ci95"] = [est.low, est.high]
    return out


@run_safely
def queue_command(args: argparse.Namespace) -> int:
    """Run the replications and print the figures."""
    arrivals = parse_number(args.arrivals, "--arrivals")
    interval = parse_duration(args.interval, "--interval")
    if arrivals <= 0 or interval <= 0:
        raise PlanningInputError(
            "The arrivals (--arrivals) and the interval (--interval) must be positive."
        )
    rate, aht = arrivals / interval, parse_duration(args.aht, "--aht")
    within = parse_duration(args.answer_within, "--answer-within")
    servers, customers = (
        parse_count(args.servers, "--servers"),
        parse_count(args.customers, "--customers"),
    )
    patience = None if args.patience is None else parse_duration(args.patience, "--patience")
    reps = parse_count(args.replications, "--replications")

    def run(rng: np.random.Generator) -> SimulationResult:
        return simulate_mmc(
            arrival_rate=rate,
            aht_seconds=aht,
            servers=servers,
            customers=customers,
            answer_within_seconds=within,
            rng=rng,
            patience_seconds=patience,
        )

    seed = int(parse_number(args.seed, "--seed"))
    summary = replicate(run, replications=reps, rng=np.random.default_rng(seed))
    payload = _payload(summary, patience is not None)
    reference = _reference(args, rate, aht, within)
    if args.json:
        payload["closed_form"] = None if reference is None else reference.to_dict()
        print(json.dumps(payload, indent=2))
        return 0
    _print_human(payload, reference, reps)
    return 0


def _print_human(payload: dict[str, Any], reference: QueueMetrics | None, reps: int) -> None:
    rows = [
        ("customers", f"{payload['customers']:,} ({reps} replication{'s' if reps > 1 else ''})")
    ]
    for name in _FIGURES:
        if name not in payload:
            continue
        text = f"{payload[name]:.4f}"
        if f"{name}_ci95" in payload:
            low, high = payload[f"{name}_ci95"]
            text += f"  [{low:.4f}, {high:.4f}]"
        if reference is not None:
            text += f"   closed form {getattr(reference, name):.4f}"
        rows.append((name, text))
    print_table(rows)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("simulate", help="queue simulation")
    commands = parser.add_subparsers(dest="simulate_command", required=True)
    p = commands.add_parser(
        "queue",
        help="simulate an FCFS multi-server queue (M/M/c, or M/M/c+M with --patience)",
        description="Durations accept 20s, 30m, 1h, 14d; plain numbers are seconds.",
    )
    p.add_argument("--arrivals", required=True, help="arrivals per interval")
    p.add_argument("--interval", default="1h", help="length of the interval (default 1h)")
    p.add_argument("--aht", required=True, help="average handling time, e.g. 180s")
    p.add_argument("--servers", required=True, help="number of agents")
    p.add_argument("--customers", default="100000", help="customers per replication")
    p.add_argument("--answer-within", default="20s", help="service-level threshold (default 20s)")
    p.add_argument("--patience", help="mean patience (exponential): customers abandon")
    p.add_argument("--seed", default="0", help="seed of the random generator")
    p.add_argument("--replications", default="1", help="independent replications (CI when > 1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=queue_command)
