"""Benchmark: recompute the promise clocks of N synthetic tickets end to end.

Creates N tickets with 4–6 status events each (new → assigned → in progress, a third
waiting for the customer, resolved; 5 % still open) in a temporary SQLite database —
or in the PostgreSQL database of ``DATABASE_URL`` — plus a first-response and a
resolution promise on a business calendar, then times ``clocks_recompute`` (read
tickets and their events, evaluate with the engine, write the clocks, change the
summary): the first computation on fresh data (every clock written); a recomputation
(``--repeat`` times: every clock computed, only the changed ones written); and a
computation into an emptied clock table (every clock written).
Writing the synthetic data is not timed, nor (on PostgreSQL) the ``VACUUM ANALYZE``
before each run that autovacuum would otherwise do.

Run: ``python benchmarks/clocks.py --tickets 1000000``. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OFFICE = {
    "timezone": "Europe/Berlin",
    "week": [[[28800, 61200]]] * 5 + [[], []],
}


def _setup(data_dir: str) -> None:
    os.environ.setdefault("SERVICEGATE_DATA_DIR", data_dir)
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghij")
    os.environ.setdefault("SERVICEGATE_TASKS", "immediate")
    from servicegate.cli import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _world() -> None:
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth.models import User

    from servicegate.calendars.models import BusinessCalendar
    from servicegate.catalog.models import Segment, ServiceProduct
    from servicegate.engines.calendars import calendar_to_dict, parse_calendar
    from servicegate.promises.models import Promise

    text = 'timezone = "Europe/Berlin"\n[week]\n' + "\n".join(
        f'{d} = ["08:00-17:00"]' for d in ("mon", "tue", "wed", "thu", "fri")
    )
    cal = BusinessCalendar.objects.create(
        name="Office", timezone="Europe/Berlin", definition=calendar_to_dict(parse_calendar(text))
    )
    user = User.objects.create(username="bench")
    segment = Segment.objects.create(name="Bench")
    product = ServiceProduct.objects.create(
        name="Bench hotline",
        segment=segment,
        owner=user,
        kind="reactive",
        price_model="subscription",
        price_amount=Decimal(1),
        channel="remote",
    )
    for metric, value in (("first_response", "4"), ("resolution", "16")):
        Promise.objects.create(
            metric=metric,
            target_value=Decimal(value),
            target_unit="business_hours",
            attainment_percent=Decimal(90),
            calendar=cal,
            product=product,
            segment=segment,
            made_by=user,
            made_by_role="sales",
            source="brochure",
            valid_from=date(2020, 1, 1),
            state="in_service",
        )


def _stamp(epochs: np.ndarray, pg: bool) -> list[str]:
    text = np.datetime_as_string(epochs.astype("datetime64[s]"), unit="s")
    text = np.char.replace(text, "T", " ")
    return list(np.char.add(text, "+00:00") if pg else text)


def _tickets(n: int, rng: np.random.Generator) -> None:
    from django.db import connection, transaction

    pg = connection.vendor == "postgresql"
    start = int(time.time()) - 730 * 86_400
    opened = np.sort(rng.integers(start, int(time.time()) - 3600, n))
    assign = opened + rng.integers(60, 4 * 3600, n)
    work = assign + rng.integers(60, 8 * 3600, n)
    wait = rng.random(n) < 0.33
    wait_start = work + rng.integers(600, 3 * 3600, n)
    wait_end = wait_start + rng.integers(3600, 48 * 3600, n)
    resolved = np.where(wait, wait_end, work) + rng.integers(600, 24 * 3600, n)
    open_ = rng.random(n) < 0.05
    prio = rng.choice(np.array(["P1", "P2", "P3", "P4"]), n, p=[0.05, 0.2, 0.5, 0.25])
    with transaction.atomic(), connection.cursor() as cur:
        batch = 100_000
        for lo in range(0, n, batch):
            hi = min(n, lo + batch)
            o = _stamp(opened[lo:hi], pg)
            rows: list[tuple[Any, ...]] = [
                (
                    "bench",
                    str(i),
                    f"B-{i}",
                    "incident",
                    "remote",
                    prio[i],
                    "",
                    "",
                    "new" if open_[i] else "resolved",
                    0,
                    0,
                    o[i - lo],
                )
                for i in range(lo, hi)
            ]
            _write(
                cur,
                "operations_ticket (source, external_id, number, kind, channel, priority, "
                "source_priority, category, status, reassignment_count, reopen_count, "
                "opened_at, assignment_group, source_status)",
                [(*row, "Team", "") for row in rows],
            )
        cur.execute("SELECT MIN(id) FROM operations_ticket WHERE source = 'bench'")
        first = cur.fetchone()[0]
        for lo in range(0, n, batch):
            hi = min(n, lo + batch)
            rows = []
            cols = [opened, assign, work, wait_start, wait_end, resolved]
            text = [_stamp(c[lo:hi], pg) for c in cols]
            for i in range(lo, hi):
                k = i - lo
                tid = first + i
                seq = [
                    ("new", text[0][k], prio[i]),
                    ("assigned", text[1][k], ""),
                    ("in_progress", text[2][k], ""),
                ]
                if wait[i]:
                    seq += [("awaiting_customer", text[3][k], ""), ("in_progress", text[4][k], "")]
                if not open_[i]:
                    seq.append(("resolved", text[5][k], ""))
                rows += [(tid, s + 1, at, st, p) for s, (st, at, p) in enumerate(seq)]
            _write(
                cur,
                "operations_ticketevent (ticket_id, seq, at, status, priority, "
                "source_status, assignment_group, resource)",
                [(*row, "", "", "") for row in rows],
            )


def _write(cur: Any, target: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` into ``target`` (table and columns): COPY on PostgreSQL, where each
    statement also runs the event table's statement trigger."""
    from django.db import connection

    if connection.vendor == "postgresql":
        raw = connection.connection
        assert raw is not None
        with raw.cursor() as raw_cursor, raw_cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    cur.executemany(f"INSERT INTO {target} VALUES ({marks})", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(tmp)  # SERVICEGATE_DATA_DIR, if set, keeps (and reuses) the database
        from django.db import connection

        from servicegate.measurement.models import Clock
        from servicegate.measurement.services import clocks_recompute
        from servicegate.operations.models import Ticket

        t = time.perf_counter()
        fresh = not Ticket.objects.filter(source="bench").exists()
        if fresh:
            _world()
            _tickets(args.tickets, np.random.default_rng(args.seed))
        n = Ticket.objects.filter(source="bench").count()
        ready = time.perf_counter() - t
        print(f"{connection.vendor}: {n:,} tickets ready in {ready:.1f} s (not timed)")
        if args.profile:
            import cProfile
            import pstats

            with cProfile.Profile() as prof:
                clocks_recompute()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        if fresh:
            _run("first computation (every clock written)")
        for _ in range(args.repeat):
            _run("recomputation (only changed clocks written)")
        Clock.objects.all().delete()
        _run("computation into an empty clock table (every clock written)")


def _vacuum() -> None:
    """PostgreSQL: reclaim the rows the previous run replaced, as autovacuum would.

    A server's autovacuum does this between recomputations; where it is off (as on some
    test machines), every run would scan the dead rows of all runs before it. Not timed.
    """
    from django.db import connection

    from servicegate.measurement.models import Clock, ClockSummary
    from servicegate.operations.models import Ticket, TicketEvent

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Clock, ClockSummary, Ticket, TicketEvent):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _run(label: str) -> None:
    from servicegate.measurement.services import clocks_recompute

    _vacuum()
    result = clocks_recompute()
    rate = result.tickets / result.seconds
    print(f"{label}:")
    print(
        f"  {result.tickets:,} tickets, {result.clocks:,} clocks computed, "
        f"{result.written:,} written, in {result.seconds:.2f} s — {rate:,.0f} tickets/s"
    )


if __name__ == "__main__":
    main()
