"""``servicegate forecast``: arrival forecast from a CSV of timestamps.

Reads one timestamp column (a ``.zip`` holding one CSV works too), optionally
keeps the earliest timestamp per ``--id-column`` (event logs with several rows per
ticket), counts arrivals per day or hour, and prints the forecast with its
prediction interval and a rolling-origin backtest against the weekly
seasonal-naive forecast. Empty values and ``?`` count as missing and are skipped.
Never imports Django.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from servicegate.cli_commands.staffing import parse_duration, print_table, run_safely
from servicegate.engines.backtesting import Backtest, backtest
from servicegate.engines.forecasting import (
    CountSeries,
    Freq,
    count_arrivals,
    forecast_counts,
)
from servicegate.engines.queueing import PlanningInputError

__all__ = ["read_timestamps", "register"]

_MISSING = {"", "?"}


@contextmanager
def _open_csv(path: Path) -> Iterator[IO[str]]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(names) != 1:
                raise PlanningInputError(f"The archive {path} must hold exactly one CSV file.")
            with archive.open(names[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield handle


def _parser(fmt: str | None) -> Any:
    cache: dict[str, np.datetime64] = {}

    def parse(value: str) -> np.datetime64:
        if value not in cache:
            moment = datetime.strptime(value, fmt) if fmt else datetime.fromisoformat(value)
            if moment.tzinfo is not None:  # keep the local wall-clock time
                moment = moment.replace(tzinfo=None)
            cache[value] = np.datetime64(moment, "s")
        return cache[value]

    return parse


def read_timestamps(
    path: Path, column: str, fmt: str | None = None, id_column: str | None = None
) -> NDArray[np.datetime64]:
    """Timestamps of ``column`` (earliest per ``id_column`` if given) as ``datetime64[s]``."""
    parse = _parser(fmt)
    first: dict[str, np.datetime64] = {}
    values: list[np.datetime64] = []
    with _open_csv(path) as handle:
        reader = csv.DictReader(handle)
        for needed in filter(None, (column, id_column)):
            if needed not in (reader.fieldnames or []):
                raise PlanningInputError(
                    f"The file {path} has no column {needed!r} (--column/--id-column)."
                )
        for line, row in enumerate(reader, start=2):
            text = (row[column] or "").strip()
            if text in _MISSING:
                continue
            try:
                moment = parse(text)
            except ValueError:
                raise PlanningInputError(
                    f"Line {line} of {path}: {text!r} in column {column!r} is not a timestamp"
                    + (f" in the format {fmt!r}." if fmt else "; give its layout with --format.")
                ) from None
            if id_column is None:
                values.append(moment)
            elif row[id_column] not in first or moment < first[row[id_column]]:
                first[row[id_column]] = moment
    return np.array(values if id_column is None else list(first.values()), dtype="datetime64[s]")


def _safe_backtest(series: CountSeries, horizon: int, country: str | None) -> Backtest | None:
    """Backtest with as many origins (up to 8) as the history allows; None if too short."""
    days = series.counts.size // series.per_day
    origins = min(8, (days - 28) * series.per_day // horizon)
    if origins < 1:
        return None
    return backtest(series, horizon=horizon, origins=origins, country=country)


@run_safely
def forecast_command(args: argparse.Namespace) -> int:
    """Read, forecast, backtest, print."""
    freq: Freq = args.freq
    stamps = read_timestamps(Path(args.input), args.column, args.format, args.id_column)
    series = count_arrivals(stamps, freq=freq)
    bucket = 86400 if freq == "day" else 3600
    horizon = max(1, math.ceil(parse_duration(args.horizon, "--horizon") / bucket))
    fc = forecast_counts(series, horizon=horizon, country=args.country)
    score = _safe_backtest(series, min(horizon, 7 * series.per_day), args.country)
    if args.json:
        out: dict[str, Any] = {"arrivals": int(stamps.size), "forecast": fc.to_dict()}
        out["backtest"] = None if score is None else score.to_dict()
        print(json.dumps(out, indent=2))
        return 0
    print(
        f"{stamps.size:,} arrivals, {series.counts.size // series.per_day} days of history; "
        f"{fc.distribution.replace('_', ' ')} {fc.interval:.0%} intervals"
    )
    print_table(
        [
            (str(s), f"{m:9.1f}   [{lo:.0f}, {hi:.0f}]")
            for s, m, lo, hi in zip(fc.bucket_starts, fc.mean, fc.lower, fc.upper, strict=True)
        ]
    )
    if score is None:
        print("backtest: the history is too short (needs 28 days plus the horizon).")
    else:
        print_table(
            [
                ("backtest", f"{len(score.origins)} origins, horizon {score.horizon} {freq}s"),
                ("model", f"MASE {score.model_mase:.3f}  WAPE {score.model_wape:.3f}"),
                ("seasonal naive", f"MASE {score.naive_mase:.3f}  WAPE {score.naive_wape:.3f}"),
            ]
        )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "forecast",
        help="arrival forecast from a CSV of timestamps",
        description="Durations accept 1d, 14d, 2w, 12h; plain numbers are seconds.",
    )
    p.add_argument("--input", required=True, help="CSV file (or .zip with one CSV)")
    p.add_argument("--column", required=True, help="column with the arrival timestamps")
    p.add_argument(
        "--format", help="strptime layout, e.g. '%%d/%%m/%%Y %%H:%%M' (default ISO 8601)"
    )
    p.add_argument("--id-column", help="keep the earliest timestamp per value of this column")
    p.add_argument("--horizon", default="14d", help="how far ahead (default 14d)")
    p.add_argument("--freq", choices=("day", "hour"), default="day", help="bucket size")
    p.add_argument("--country", help="public holidays of this country (ISO code, e.g. DE)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=forecast_command)
