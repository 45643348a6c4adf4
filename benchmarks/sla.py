"""Benchmark: business seconds with the vectorised engine versus peers, side by side.

Calendar: Europe/Berlin, Mon-Fri 08:00-12:00 + 13:00-17:00, Bavarian public holidays plus
explicit dates. Measured in one run:

* engine: business seconds for N (start, end) pairs (default 10 million), in chunks of
  1 million so memory stays bounded; with pauses; deadlines; the batch clock evaluation;
* ``businesstimedelta`` 1.0.1 and a plain per-ticket Python loop on a sample (their rate
  extrapolated);
* the CLI end to end: ``sla compute`` on a 1-million-row CSV (writing the file is not timed).

Run: ``python benchmarks/sla.py [--pairs N] [--quick] [--huge]`` or ``servicegate bench sla``.
Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from servicegate.cli_commands import sla as sla_cli
from servicegate.engines import sla
from servicegate.engines.calendars import Calendar, calendar_from_dict, compile_calendar
from servicegate.engines.clocks import ClockRules, EventTable, evaluate_clocks

ZONE = "Europe/Berlin"
DAY = 86_400
HOLIDAYS = ["2026-12-24", "2026-12-31", "2027-12-24", "2027-12-31"]
LO = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
HI = int(dt.datetime(2027, 12, 1, tzinfo=dt.UTC).timestamp())
CHUNK = 1_000_000


def make_calendar() -> Calendar:
    weekdays = ("mon", "tue", "wed", "thu", "fri")
    return calendar_from_dict(
        {
            "timezone": ZONE,
            "week": {d: ["08:00-12:00", "13:00-17:00"] for d in weekdays},
            "holidays": {"dates": HOLIDAYS, "country": "DE", "subdivision": "BY"},
        }
    )


def pairs(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Random starts over two years; durations up to 10 days."""
    starts = rng.integers(LO, HI, n)
    return starts, starts + rng.integers(0, 10 * DAY, n)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------------ contenders


def engine_rate(
    cal: Calendar, n: int, *, with_pauses: bool = False, deadlines: bool = False
) -> float:
    """Engine seconds for ``n`` rows in chunks (data generation not timed)."""
    rng = np.random.default_rng(1)
    timeline = compile_calendar(cal, LO - 400 * DAY, HI + 800 * DAY)
    elapsed = 0.0
    for lo in range(0, n, CHUNK):
        size = min(CHUNK, n - lo)
        starts, ends = pairs(rng, size)
        kwargs: dict[str, Any] = pause_arrays(rng, starts, ends) if with_pauses else {}
        t0 = time.perf_counter()
        if deadlines:
            sla.deadlines(timeline, starts, ends - starts, **kwargs)
        else:
            sla.business_seconds(timeline, starts, ends, **kwargs)
        elapsed += time.perf_counter() - t0
    return elapsed


def pause_arrays(
    rng: np.random.Generator, starts: np.ndarray, ends: np.ndarray
) -> dict[str, np.ndarray]:
    """0-3 pauses per ticket (1.5 on average) inside the ticket's span."""
    counts = rng.integers(0, 4, starts.size)
    rows = np.repeat(np.arange(starts.size), counts)
    span = ends[rows] - starts[rows]
    p_start = starts[rows] + (rng.random(rows.size) * span).astype(np.int64)
    p_end = np.minimum(p_start + rng.integers(0, 2 * DAY, rows.size), ends[rows])
    return {"pause_starts": p_start, "pause_ends": p_end, "pause_rows": rows}


def businesstimedelta_seconds(starts: np.ndarray, ends: np.ndarray) -> float | None:
    """Time for the sample with businesstimedelta 1.0.1 (None if not installed)."""
    try:
        import businesstimedelta as btd
        import holidays as holidays_pkg
        import pytz  # type: ignore[import-untyped]
    except ImportError:
        return None
    tz = pytz.timezone(ZONE)
    days = {dt.date.fromisoformat(d) for d in HOLIDAYS}
    days |= set(holidays_pkg.country_holidays("DE", subdiv="BY", years=[2026, 2027, 2028]))
    rules = btd.Rules(
        [
            btd.WorkDayRule(start_time=dt.time(8), end_time=dt.time(17), tz=tz),
            btd.LunchTimeRule(start_time=dt.time(12), end_time=dt.time(13), tz=tz),
            btd.HolidayRule(sorted(days), tz=tz),
        ]
    )
    t0 = time.perf_counter()
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        rules.difference(dt.datetime.fromtimestamp(s, dt.UTC), dt.datetime.fromtimestamp(e, dt.UTC))
    return time.perf_counter() - t0


def plain_loop_seconds(cal: Calendar, starts: np.ndarray, ends: np.ndarray) -> float:
    """Time for the sample with a straightforward per-ticket, per-day Python loop."""
    import holidays as holidays_pkg

    tz = ZoneInfo(cal.timezone)
    closed = set(cal.holidays) | set(
        holidays_pkg.country_holidays("DE", subdiv="BY", years=[2026, 2027, 2028])
    )
    t0 = time.perf_counter()
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        day = dt.datetime.fromtimestamp(s, tz).date() - dt.timedelta(days=1)
        last = dt.datetime.fromtimestamp(e, tz).date()
        total = 0
        while day <= last:
            if day not in closed:
                midnight = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
                for a, b in cal.week[day.weekday()]:
                    u0 = (midnight + dt.timedelta(seconds=a)).timestamp()
                    u1 = (midnight + dt.timedelta(seconds=b)).timestamp()
                    total += max(0, int(min(u1, e) - max(u0, s)))
            day += dt.timedelta(days=1)
    return time.perf_counter() - t0


def clocks_seconds(cal: Calendar, tickets: int) -> float:
    """Batch clock evaluation: ``tickets`` tickets with 5 status events each."""
    rng = np.random.default_rng(3)
    per = 5
    opened = rng.integers(LO, HI - 30 * DAY, tickets)
    at = np.sort(opened[:, None] + rng.integers(0, 20 * DAY, (tickets, per)), axis=1)
    at[:, 0] = opened
    status = rng.choice(np.array([0, 1, 2, 3]), size=(tickets, per), p=[0.4, 0.3, 0.2, 0.1])
    status[:, 0] = 0
    priority = np.full((tickets, per), -1)
    priority[:, 0] = rng.integers(0, 3, tickets)
    table = EventTable(
        ticket=np.repeat(np.arange(tickets), per),
        at=at.ravel(),
        status=status.ravel(),
        priority=priority.ravel(),
        status_names=("new", "open", "waiting", "resolved"),
        priority_names=("P1", "P2", "P3"),
        n_tickets=tickets,
    )
    rules = ClockRules(
        pause_statuses=frozenset({"waiting"}),
        stop_statuses=frozenset({"resolved"}),
        target_seconds={"P1": 4 * 3600, "P2": 8 * 3600, "P3": 40 * 3600},
    )
    t0 = time.perf_counter()
    evaluate_clocks(table, rules, cal, now=HI)
    return time.perf_counter() - t0


def cli_seconds(rows: int, folder: Path) -> float:
    """``sla compute`` end to end on a CSV of ``rows`` rows with ISO timestamps."""
    rng = np.random.default_rng(4)
    starts, ends = pairs(rng, rows)
    cal_path, in_path, out_path = folder / "cal.toml", folder / "in.csv", folder / "out.csv"
    cal_path.write_text(
        'timezone = "Europe/Berlin"\n[week]\n'
        + "".join(
            f'{d} = ["08:00-12:00", "13:00-17:00"]\n' for d in ("mon", "tue", "wed", "thu", "fri")
        )
        + f'[holidays]\ndates = {HOLIDAYS!r}\ncountry = "DE"\nsubdivision = "BY"\n'.replace(
            "'", '"'
        ),
        encoding="utf-8",
    )
    with open(in_path, "w", encoding="utf-8") as handle:
        handle.write("id,start,end\n")
        for lo in range(0, rows, 200_000):
            a = sla_cli.format_timestamps(starts[lo : lo + 200_000], ZONE)
            b = sla_cli.format_timestamps(ends[lo : lo + 200_000], "UTC")
            handle.writelines(
                f"T{lo + i},{x},{y}\n" for i, (x, y) in enumerate(zip(a, b, strict=True))
            )
    t0 = time.perf_counter()
    code = sla_cli.run(
        "compute", cal_path, in_path, out_path, sla_cli.DEFAULT_CHUNK, progress=False
    )
    elapsed = time.perf_counter() - t0
    if code != 0:
        raise RuntimeError("the CLI run failed")
    return elapsed


# ---------------------------------------------------------------------------- report


def row(name: str, n: int, seconds: float | None, reference: float | None, note: str = "") -> str:
    if seconds is None:
        return f"{name:<44} {'(not installed)':>12}"
    rate = n / seconds if seconds > 0 else float("inf")
    ratio = f"{reference / rate:>9.0f}x" if reference and name != "engine: business seconds" else ""
    return f"{name:<44} {n:>12,} {seconds:>9.2f} {rate:>14,.0f} {ratio:>10}  {note}"


def timed(label: str, func: Callable[[], float]) -> float:
    print(f"  running: {label} ...", file=sys.stderr, flush=True)
    return func()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/sla.py", description=__doc__)
    parser.add_argument("--pairs", type=int, default=10_000_000, help="(start, end) pairs")
    parser.add_argument("--quick", action="store_true", help="1M pairs, small samples")
    parser.add_argument("--huge", action="store_true", help="100 million pairs in chunks")
    parser.add_argument("--sample", type=int, default=2000, help="sample for the peers")
    parser.add_argument("--cli-rows", type=int, default=1_000_000, help="rows for the CLI run")
    args = parser.parse_args(argv)
    n = 100_000_000 if args.huge else (1_000_000 if args.quick else args.pairs)
    sample = 300 if args.quick else args.sample
    cli_rows = 100_000 if args.quick else args.cli_rows
    tickets = min(n, 2_000_000)
    cal = make_calendar()
    compile_calendar(cal, LO - 400 * DAY, HI + 800 * DAY)  # warm the compile cache

    engine = timed("engine", lambda: engine_rate(cal, n))
    rss_engine = peak_rss_mb()
    paused = timed("engine with pauses", lambda: engine_rate(cal, tickets, with_pauses=True))
    deadline = timed("deadlines", lambda: engine_rate(cal, tickets, deadlines=True))
    rng = np.random.default_rng(9)
    s, e = pairs(rng, sample)
    theirs = timed("businesstimedelta", lambda: businesstimedelta_seconds(s, e) or 0.0) or None
    plain = timed("plain loop", lambda: plain_loop_seconds(cal, s, e))
    clock_n = min(tickets, 1_000_000)
    clocks = timed("clocks", lambda: clocks_seconds(cal, clock_n))
    with tempfile.TemporaryDirectory() as folder:
        cli = timed("CLI", lambda: cli_seconds(cli_rows, Path(folder)))

    rate = n / engine
    print("\nSLA business time — Europe/Berlin, 2 intervals/day, DE-BY holidays; one core")
    print(f"{'':<44} {'rows':>12} {'seconds':>9} {'rows/s':>14} {'slower':>10}")
    print(row("engine: business seconds", n, engine, rate, f"peak RSS {rss_engine:,.0f} MB"))
    print(row("engine: business seconds with pauses", tickets, paused, None, "1.5 pauses/ticket"))
    print(row("engine: deadlines", tickets, deadline, None))
    print(row("engine: clocks (5 events/ticket)", clock_n, clocks, None))
    print(row(f"businesstimedelta {sample:,} (extrapolated)", sample, theirs, rate))
    print(row(f"plain Python loop {sample:,} (extrapolated)", sample, plain, rate))
    print(row("CLI sla compute, CSV in → CSV out", cli_rows, cli, None))
    print(f"\npeak RSS overall: {peak_rss_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
