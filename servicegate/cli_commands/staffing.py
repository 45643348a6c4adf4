"""``servicegate staffing erlang-c``: agents for a service-level target (Erlang C / A).

Also holds the small parsing helpers the other planning commands share
(durations like ``30m``, ``1h``, ``180s``, ``14d``; plain numbers are seconds).
Never imports Django.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from servicegate.engines.queueing import (
    PlanningInputError,
    QueueMetrics,
    StaffingResult,
    check_shrinkage,
    erlang_a,
    erlang_c_metrics,
    required_agents,
)

__all__ = ["parse_duration", "parse_number", "print_table", "register", "run_safely"]

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([smhdw])")


def parse_duration(text: str, option: str) -> float:
    """Seconds in ``text``: ``90``, ``180s``, ``30m``, ``1h``, ``1h30m``, ``14d``, ``2w``."""
    value = text.strip().lower()
    try:
        return float(value)
    except ValueError:
        pass
    parts = _PART.findall(value)
    if not parts or _PART.sub("", value).strip():
        raise PlanningInputError(
            f"The duration {text!r} for {option} is not understood; write e.g. 20s, 30m, 1h or 14d."
        )
    return sum(float(n) * _UNITS[u] for n, u in parts)


def parse_number(text: str, option: str) -> float:
    """A plain number, with a sentence naming ``option`` when it is not one."""
    try:
        value = float(text)
    except ValueError:
        raise PlanningInputError(f"The value {text!r} for {option} is not a number.") from None
    if not math.isfinite(value):
        raise PlanningInputError(f"The value {text!r} for {option} must be a finite number.")
    return value


def parse_count(text: str, option: str) -> int:
    """A whole number of at least 1."""
    value = parse_number(text, option)
    if value != int(value) or value < 1:
        raise PlanningInputError(
            f"The value {text!r} for {option} must be a whole number of at least 1."
        )
    return int(value)


def run_safely(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn a refused input into ``servicegate: error: <sentence>`` and exit code 2."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (PlanningInputError, OSError) as exc:
            print(f"servicegate: error: {exc}", file=sys.stderr)
            return 2

    wrapper.__doc__ = func.__doc__
    return wrapper


def print_table(rows: Sequence[tuple[str, str]]) -> None:
    """Two aligned columns."""
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


def _arrival_rate(args: argparse.Namespace) -> float:
    arrivals = parse_number(args.arrivals, "--arrivals")
    interval = parse_duration(args.interval, "--interval")
    if arrivals <= 0:
        raise PlanningInputError(
            f"The arrivals per interval (--arrivals {args.arrivals}) must be positive."
        )
    if interval <= 0:
        raise PlanningInputError(f"The interval (--interval {args.interval}) must be positive.")
    return arrivals / interval


def _evaluate(args: argparse.Namespace, rate: float, aht: float, within: float) -> StaffingResult:
    agents = parse_count(args.agents, "--agents")
    shrinkage = parse_number(args.shrinkage, "--shrinkage")
    check_shrinkage(shrinkage)
    metrics: QueueMetrics
    if args.patience is None:
        metrics = erlang_c_metrics(
            agents=agents, arrival_rate=rate, aht_seconds=aht, answer_within_seconds=within
        )
    else:
        metrics = erlang_a(
            agents=agents,
            arrival_rate=rate,
            aht_seconds=aht,
            patience_seconds=parse_duration(args.patience, "--patience"),
            answer_within_seconds=within,
        )
    return StaffingResult(agents, math.ceil(agents / (1 - shrinkage) - 1e-9), shrinkage, metrics)


def _solve(args: argparse.Namespace, rate: float, aht: float, within: float) -> StaffingResult:
    return required_agents(
        arrival_rate=rate,
        aht_seconds=aht,
        answer_within_seconds=within,
        target_service_level=parse_number(args.target_sl, "--target-sl"),
        target_asa_seconds=(
            None if args.target_asa is None else parse_duration(args.target_asa, "--target-asa")
        ),
        patience_seconds=None
        if args.patience is None
        else parse_duration(args.patience, "--patience"),
        shrinkage=parse_number(args.shrinkage, "--shrinkage"),
        max_occupancy=parse_number(args.max_occupancy, "--max-occupancy"),
        max_agents=None
        if args.max_agents is None
        else parse_count(args.max_agents, "--max-agents"),
    )


def _payload(result: StaffingResult) -> dict[str, Any]:
    m = result.metrics
    out: dict[str, Any] = {
        "model": m.model,
        "agents": result.agents,
        "positions": result.positions,
        "service_level": m.service_level,
        "p_wait": m.p_wait,
        "asa_seconds": m.asa_seconds,
        "occupancy": m.occupancy,
        "offered_load": m.offered_load,
    }
    if m.model == "erlang_a":
        out["p_abandon"] = m.p_abandon
    return out


@run_safely
def erlang_command(args: argparse.Namespace) -> int:
    """Solve for agents (or evaluate ``--agents``) and print the figures."""
    rate = _arrival_rate(args)
    aht = parse_duration(args.aht, "--aht")
    within = parse_duration(args.answer_within, "--answer-within")
    result = (_solve if args.agents is None else _evaluate)(args, rate, aht, within)
    payload = _payload(result)
    if args.json:
        print(json.dumps(payload, indent=2))
        return 0
    rows = [
        ("model", "Erlang A" if result.metrics.model == "erlang_a" else "Erlang C"),
        ("offered load", f"{result.metrics.offered_load:.3f} Erlangs"),
        ("agents", str(result.agents)),
        (f"positions (shrinkage {result.shrinkage:.0%})", str(result.positions)),
        (f"service level ({within:g} s)", f"{result.metrics.service_level:.4f}"),
        ("P(wait)", f"{result.metrics.p_wait:.4f}"),
        ("ASA", f"{result.metrics.asa_seconds:.2f} s"),
        ("occupancy", f"{result.metrics.occupancy:.4f}"),
    ]
    if result.metrics.model == "erlang_a":
        rows.append(("P(abandon)", f"{result.metrics.p_abandon:.4f}"))
    print_table(rows)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("staffing", help="Erlang C / Erlang A staffing")
    commands = parser.add_subparsers(dest="staffing_command", required=True)
    p = commands.add_parser(
        "erlang-c",
        help="agents for a service-level target (Erlang A with --patience)",
        description="Durations accept 20s, 30m, 1h, 14d; plain numbers are seconds.",
    )
    p.add_argument("--arrivals", required=True, help="arrivals per interval")
    p.add_argument("--interval", default="30m", help="length of the interval (default 30m)")
    p.add_argument("--aht", required=True, help="average handling time, e.g. 180s")
    p.add_argument("--target-sl", default="0.8", help="service-level target in (0, 1), default 0.8")
    p.add_argument("--answer-within", default="20s", help="service-level threshold (default 20s)")
    p.add_argument("--target-asa", help="also require this average speed of answer")
    p.add_argument("--shrinkage", default="0", help="share of paid time off the phones, in [0, 1)")
    p.add_argument("--max-occupancy", default="1", help="upper bound on occupancy, in (0, 1]")
    p.add_argument("--max-agents", help="agent limit for the search")
    p.add_argument("--agents", help="evaluate this many agents instead of solving")
    p.add_argument("--patience", help="mean patience: use Erlang A (abandonment)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=erlang_command)
