"""Benchmark: server time of the measurement pages (dashboard, at risk, attainment) and
the ticket list.

Builds (or reuses, with ``SERVICEGATE_DATA_DIR``) a database made by
``servicegate demo-data --size large`` (about a million tickets with their clocks), then
requests each page N times with the Django test client, logged in as the demo viewer,
and prints p50 and p95 of the server time (after one untimed warm-up request per page).
Prints figures only.

Run: ``SERVICEGATE_DATA_DIR=var/bench python benchmarks/pages.py [--size small] [-n 30]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGES = (
    "/measurement/",
    "/measurement/?period=week&fragment=charts",
    "/measurement/at-risk/",
    "/measurement/attainment/",
    "/measurement/attainment/?group_by=team&period=week",
    "/operations/tickets/",
    "/operations/tickets/?status=new",
    "/operations/tickets/?number=SG-00500",
    "/api/v1/at-risk",
)


def _setup(data_dir: str, size: str) -> None:
    os.environ.setdefault("SERVICEGATE_DATA_DIR", data_dir)
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghij")
    os.environ.setdefault("SERVICEGATE_TASKS", "immediate")
    os.environ["SERVICEGATE_DEMO"] = "1"
    from servicegate.cli import setup_django

    setup_django(demo=True)
    from django.conf import settings
    from django.core.management import call_command

    from servicegate.operations.models import Ticket

    settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)
    if not Ticket.objects.exists():
        started = time.perf_counter()
        call_command("demo_data", size=size)
        print(f"demo-data --size {size}: {time.perf_counter() - started:.0f} s (not timed)")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="large")
    parser.add_argument("-n", type=int, default=30, help="requests per page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(tmp, args.size)
        from django.contrib.auth.models import User
        from django.test import Client

        from servicegate.measurement.models import Clock
        from servicegate.operations.models import Ticket

        print(f"{Ticket.objects.count():,} tickets, {Clock.objects.count():,} clocks")
        client = Client(secure=True)
        client.force_login(User.objects.get(username="viewer"))
        for url in PAGES:
            client.get(url)  # warm-up: imports and caches of a fresh process are not timed
            times = []
            for _ in range(args.n):
                started = time.perf_counter()
                status = client.get(url).status_code
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"{url:52s} {status}  p50 {_percentile(times, 0.5):7.1f} ms  "
                f"p95 {_percentile(times, 0.95):7.1f} ms"
            )


if __name__ == "__main__":
    main()
