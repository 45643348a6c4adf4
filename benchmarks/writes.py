"""Benchmark: ticket writes with their clocks, one by one and sustained through the API.

Builds a temporary SQLite database (or uses the PostgreSQL database of
``DATABASE_URL``) with a first-response and a resolution promise on a business calendar
and N synthetic tickets with their events and clocks (not timed), then:

* **single writes** through the services, each in its own transaction with the clocks
  of its ticket: open a ticket, record "in progress", record "resolved" — ``--writes``
  times each; latency p50, p95 and the slowest;
* **sustained API writes** for ``--seconds``: a dispatcher's client opens tickets and
  records their statuses through ``/api/v1/`` (request parsing, permission checks,
  the write, its clocks, the response) one after another; writes per second, then a
  check that every ticket written carries current clocks (resolved tickets' clocks
  decided, the others running).

Run: ``python benchmarks/writes.py [--tickets 100000] [--writes 300] [--seconds 10]``.
Prints figures only; the targets (p95 < 20 ms on SQLite, 200 writes/s) are read off,
never asserted.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import numpy as np
from clocks import _setup, _tickets, _world  # the benchmark beside this one (same folder)


def _dispatcher() -> Any:
    from django.contrib.auth.models import Group, User

    from servicegate.accounts import roles
    from servicegate.accounts.services import sync_roles

    sync_roles()
    user = User.objects.create_user(username="dispatch-bench", password="unused")
    user.groups.add(Group.objects.get(name=roles.DISPATCHER))
    return User.objects.get(pk=user.pk)


def _timed(times: list[tuple[float, float]], write: Callable[[], Any]) -> Any:
    """Run ``write``, noting its wall time and the CPU time of this process (SQLite runs
    in the process: on a busy machine the CPU time is what a write costs, the wall
    time what it waited besides)."""
    t, c = time.perf_counter(), time.process_time()
    result = write()
    times.append((time.perf_counter() - t, time.process_time() - c))
    return result


def _report(label: str, times: list[tuple[float, float]]) -> None:
    wall, cpu = (np.array(column) * 1000 for column in zip(*times, strict=True))
    print(
        f"  {label:<22} wall p50 {np.percentile(wall, 50):5.1f} p95 {np.percentile(wall, 95):5.1f}"
        f" max {wall.max():6.1f} ms | CPU p50 {np.percentile(cpu, 50):5.1f}"
        f" p95 {np.percentile(cpu, 95):5.1f} ms  ({wall.size} writes)"
    )


def single_writes(user: Any, count: int) -> None:
    from django.utils import timezone

    from servicegate.operations import ticket_services as ts

    created: list[tuple[float, float]] = []
    progressed: list[tuple[float, float]] = []
    resolved: list[tuple[float, float]] = []
    opened = timezone.now() - timedelta(hours=2)
    for i in range(count):
        ticket = _timed(
            created,
            partial(
                ts.ticket_create,
                by=user,
                title=f"Bench {i}",
                customer_id=None,
                priority="P2",
                opened_at=opened,
            ),
        )
        for status, times in (("in_progress", progressed), ("resolved", resolved)):
            _timed(times, partial(ts.ticket_event_append, ticket=ticket, by=user, status=status))
    print("single writes, each with the clocks of its ticket:")
    _report("open a ticket", created)
    _report('record "in progress"', progressed)
    _report('record "resolved"', resolved)
    _report("all writes", created + progressed + resolved)


def sustained_api(user: Any, seconds: float) -> None:
    from django.test import Client

    from servicegate.measurement.choices import OPEN_STATES
    from servicegate.measurement.models import Clock

    client = Client()
    client.force_login(user)
    writes, ids, resolved = 0, [], set()
    started, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        body = {"title": "API bench", "priority": "P2"}
        response = client.post("/api/v1/tickets/", body, content_type="application/json")
        assert response.status_code == 201, response.content
        ticket = response.json()["id"]
        ids.append(ticket)
        writes += 1
        for status in ("in_progress", "resolved"):
            if status == "resolved" and writes % 3 == 0:
                continue  # a third stay open
            url = f"/api/v1/tickets/{ticket}/events"
            response = client.post(url, {"status": status}, content_type="application/json")
            assert response.status_code == 201, response.content
            writes += 1
            if status == "resolved":
                resolved.add(ticket)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    clocks = Clock.objects.filter(ticket_id__in=ids).values_list("ticket_id", "state")
    stale = [t for t, state in clocks if (t in resolved) == (state in OPEN_STATES)]
    per_ticket = Clock.objects.filter(ticket_id__in=ids).count() / max(len(ids), 1)
    print(f"sustained API writes ({elapsed:.1f} s, one client, one after another):")
    print(
        f"  {writes:,} writes, {writes / elapsed:,.0f} writes/s ({writes / cpu:,.0f} per CPU"
        f" second); {len(ids):,} tickets with {per_ticket:.1f} clocks each,"
        f" {len(stale)} clocks not current"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    with tempfile.TemporaryDirectory() as tmp:
        _setup(tmp)
        from django.db import connection

        from servicegate.measurement.services import clocks_recompute

        t = time.perf_counter()
        _world()
        _tickets(args.tickets, np.random.default_rng(args.seed))
        result = clocks_recompute()
        ready = time.perf_counter() - t
        print(
            f"{connection.vendor}: {result.tickets:,} tickets, {result.clocks:,} clocks ready"
            f" in {ready:.1f} s (not timed)"
        )
        user = _dispatcher()
        single_writes(user, args.writes)
        sustained_api(user, args.seconds)


if __name__ == "__main__":
    main()
