"""Benchmark: import the UCI ServiceNow incident event log into a fresh SQLite database.

Usage: ``python benchmarks/import_uci.py [PATH] [--repeat N]``. PATH defaults to the
shared data folder (``SERVICEGATE_SHARED_DATA`` or ``<repo>/../shared/data``). The
script creates a temporary data directory (``SERVICEGATE_DATA_DIR``), migrates it,
imports the log and prints events per second and the CPU time of the process; beside
it, the time the csv module alone needs to read the same file (the floor any Python
importer stands on), and the time of a re-import (idempotent: nothing is created).
With ``--repeat N`` the first import runs N times, each into a fresh copy of the
migrated database, and every run is printed (the machine may be shared: look at the
best). It never fails on a time.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = "uci-498-incident-event-log/incident_event_log.zip"


def shared_data() -> Path:
    return Path(os.environ.get("SERVICEGATE_SHARED_DATA", REPO.parent / "shared" / "data"))


def csv_floor(path: Path) -> float:
    """Seconds the csv module alone needs to read every row of the log."""
    started = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        with archive.open(name) as raw:
            for _row in csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")):
                pass
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=shared_data() / DEFAULT)
    parser.add_argument("--repeat", type=int, default=1, help="imports into fresh databases")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"import_uci: {args.path} is missing; set SERVICEGATE_SHARED_DATA.", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    runs: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="servicegate-bench-") as tmp:
        os.environ["SERVICEGATE_DATA_DIR"] = tmp
        os.environ.setdefault("SERVICEGATE_DEMO", "1")
        os.environ["DJANGO_SETTINGS_MODULE"] = "servicegate.settings"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from servicegate.operations.services import tickets_import

        call_command("migrate", verbosity=0, interactive=False)
        database = Path(connection.settings_dict["NAME"])
        connection.close()
        shutil.copy(database, Path(tmp) / "migrated.sqlite3")
        for run in range(max(1, args.repeat)):
            if run:
                connection.close()
                for suffix in ("-wal", "-shm"):
                    Path(f"{database}{suffix}").unlink(missing_ok=True)
                shutil.copy(Path(tmp) / "migrated.sqlite3", database)
            cpu = time.process_time()
            first = tickets_import(format="servicenow", path=args.path)
            runs.append((first.seconds, time.process_time() - cpu))
        again = tickets_import(format="servicenow", path=args.path)
        connection.close()
    floor = csv_floor(args.path)
    print(f"UCI incident event log: {first.rows} rows, {first.tickets_created} incidents")
    for seconds, cpu in runs:
        print(
            f"  servicegate import servicenow   {seconds:7.2f} s   "
            f"{first.events_created / seconds:10,.0f} events/s"
        )
        print(
            f"  (CPU time of this process)      {cpu:7.2f} s   "
            f"{first.events_created / cpu:10,.0f} events per CPU second"
        )
    if len(runs) > 1:
        best, best_cpu = min(s for s, _ in runs), min(c for _, c in runs)
        print(
            f"  best of {len(runs):<3d}                    {best:7.2f} s   "
            f"{first.events_created / best:10,.0f} events/s   (CPU {best_cpu:.2f} s)"
        )
    print(
        f"  re-import (idempotent)          {again.seconds:7.2f} s   "
        f"{again.events_created} events created"
    )
    print(
        f"  csv module alone (read floor)   {floor:7.2f} s   "
        f"{first.rows / floor:10,.0f} rows/s   (import / floor = {runs[0][0] / floor:.1f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
