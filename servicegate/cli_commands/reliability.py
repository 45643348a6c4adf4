"""``servicegate reliability fit|replacement|rul``: life data in, figures out.

* ``fit --failures 1,2,… [--censored …]``: a censored Weibull fit (``--json`` gives
  ``{alpha, beta, loglik, alpha_ci, beta_ci, n_failures, n_censored}``).
* ``replacement --alpha A --beta B --cost-preventive CP --cost-failure CF``: the
  cost-optimal age-replacement interval (``{interval, cost_rate,
  cost_rate_run_to_failure, saving}``; ``interval`` is null with a reason when β ≤ 1).
* ``rul --format cmapss --train F --test F``: one remaining-useful-life estimate per
  test engine from condition data (``{predictions: [...]}``).

Bad input prints ``servicegate: error: <one sentence>`` and exits with code 2.
Never imports Django.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable
from typing import Any

from servicegate.engines.reliability import (
    ReliabilityDataError,
    optimal_replacement_interval,
    weibull_fit,
)

__all__ = ["parse_times", "register"]

_SEPARATOR = re.compile(r"[,;\s]+")


def parse_times(text: str | None, option: str) -> list[float]:
    """Numbers separated by commas (or spaces): ``"120,340.5,  95"``."""
    if text is None:
        return []
    values = []
    for part in _SEPARATOR.split(text.strip()):
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            raise ReliabilityDataError(f"The value {part!r} in {option} is not a number.") from None
        values.append(value)
    return values


def _number(text: str, option: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ReliabilityDataError(f"The value {text!r} for {option} is not a number.") from None
    if not math.isfinite(value):
        raise ReliabilityDataError(f"The value {text!r} for {option} must be a finite number.")
    return value


def _safely(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn a refused input into ``servicegate: error: <sentence>`` and exit code 2."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (ReliabilityDataError, OSError) as exc:
            print(f"servicegate: error: {exc}", file=sys.stderr)
            return 2

    wrapper.__doc__ = func.__doc__
    return wrapper


def _print_json(payload: Any) -> None:
    print(json.dumps(payload, indent=2, allow_nan=False))


def _rows(rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


@_safely
def fit_command(args: argparse.Namespace) -> int:
    """Fit a Weibull distribution to failure (and censored) ages."""
    ci = _number(args.ci, "--ci")
    fit = weibull_fit(
        parse_times(args.failures, "--failures"),
        parse_times(args.censored, "--censored"),
        ci=ci,
    )
    if args.json:
        _print_json(fit.as_dict())
        return 0
    _rows(
        [
            ("failures / censored", f"{fit.n_failures} / {fit.n_censored}"),
            ("scale α (η)", f"{fit.alpha:.6g}  [{fit.alpha_ci[0]:.6g}, {fit.alpha_ci[1]:.6g}]"),
            ("shape β", f"{fit.beta:.6g}  [{fit.beta_ci[0]:.6g}, {fit.beta_ci[1]:.6g}]"),
            ("confidence", f"{ci:.0%}"),
            ("log-likelihood", f"{fit.loglik:.6g}"),
            ("mean life", f"{fit.mean_life:.6g}"),
        ]
    )
    return 0


@_safely
def replacement_command(args: argparse.Namespace) -> int:
    """The cost-optimal preventive replacement age of a Weibull part."""
    result = optimal_replacement_interval(
        alpha=_number(args.alpha, "--alpha"),
        beta=_number(args.beta, "--beta"),
        cost_preventive=_number(args.cost_preventive, "--cost-preventive"),
        cost_failure=_number(args.cost_failure, "--cost-failure"),
    )
    if args.json:
        _print_json(result.as_dict())
        return 0
    rows = [("run-to-failure cost rate", f"{result.cost_rate_run_to_failure:.6g}")]
    if result.interval is None:
        rows.append(("interval", f"none: {result.reason}"))
    else:
        rows += [
            ("replace at age", f"{result.interval:.6g}"),
            ("cost rate", f"{result.cost_rate:.6g}"),
            ("saving per unit of time", f"{result.saving:.6g} ({result.saving_share:.1%})"),
        ]
    _rows(rows)
    return 0


@_safely
def rul_command(args: argparse.Namespace) -> int:
    """Remaining useful life of each test unit from condition data."""
    from servicegate.engines import rul

    if args.format != "cmapss":
        raise ReliabilityDataError(f"The format {args.format!r} is not known; use cmapss.")
    train = rul.read_cmapss(args.train)
    test = rul.read_cmapss(args.test)
    truth = None if args.truth is None else rul.read_true_rul(args.truth)
    model = rul.fit_rul_model(train, seed=args.seed, threads=args.threads, rounds=args.rounds)
    predictions = rul.predict_rul(model, test)
    payload: dict[str, Any] = {"predictions": [round(float(p), 3) for p in predictions]}
    if truth is not None:
        payload["rmse"] = round(rul.rmse(predictions, truth), 3)
    if args.json:
        _print_json(payload)
        return 0
    print("unit,predicted_rul")
    for unit, value in zip(rul.last_cycles(test).units, predictions, strict=True):
        print(f"{unit},{value:.1f}")
    if truth is not None:
        print(f"RMSE against {args.truth}: {payload['rmse']:.2f} cycles", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("reliability", help="life data: Weibull fits, replacement, RUL")
    commands = parser.add_subparsers(dest="reliability_command", required=True)

    p = commands.add_parser(
        "fit",
        help="Weibull fit by maximum likelihood with right censoring",
        description="Ages in one unit (hours, cycles, days), separated by commas.",
    )
    p.add_argument("--failures", required=True, help="failure ages, e.g. 120,340,95")
    p.add_argument("--censored", help="ages of units still running (right censored)")
    p.add_argument("--ci", default="0.95", help="confidence level of the bounds (default 0.95)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=fit_command)

    p = commands.add_parser(
        "replacement",
        help="cost-optimal age-replacement interval of a Weibull part",
        description="C(T) = (Cp·R(T) + Cf·F(T)) / ∫₀ᵀ R(t) dt; no interval when β ≤ 1.",
    )
    p.add_argument("--alpha", required=True, help="Weibull scale α (η)")
    p.add_argument("--beta", required=True, help="Weibull shape β")
    p.add_argument("--cost-preventive", required=True, help="cost of a planned replacement Cp")
    p.add_argument("--cost-failure", required=True, help="cost of a failure replacement Cf > Cp")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=replacement_command)

    p = commands.add_parser(
        "rul",
        help="remaining useful life per test unit from condition data",
        description="NASA C-MAPSS text files: unit, cycle, 3 settings, 21 sensors per row.",
    )
    p.add_argument("--format", default="cmapss", help="input format (cmapss)")
    p.add_argument("--train", required=True, help="run-to-failure histories")
    p.add_argument("--test", required=True, help="histories to predict, cut before failure")
    p.add_argument("--truth", help="true remaining lives (RUL_FD001.txt): also print the RMSE")
    p.add_argument("--seed", type=int, default=0, help="random seed of the model (default 0)")
    p.add_argument("--threads", type=int, help="CPU threads for the fit (default: all)")
    p.add_argument("--rounds", type=int, default=300, help="boosting rounds (default 300)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=rul_command)
