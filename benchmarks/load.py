"""Benchmark: Servicegate under concurrent load through `servicegate serve` on loopback.

Creates the demo organisation (``demo-data --size small``, not timed) in a temporary
data directory (SQLite) or in the PostgreSQL database of ``DATABASE_URL``, starts
``servicegate serve`` with production settings and ``--workers`` server processes, then
drives each target with 16 and 64 concurrent clients for ``--seconds`` each:

* ``/measurement/`` (the measurement dashboard) and ``/`` (the dashboard) as the demo
  service manager (a session cookie);
* ``GET /api/v1/at-risk`` with the manager's bearer token;
* ``POST /api/v1/tickets/`` (ticket writes with their clocks) with a dispatcher's token;
* ``POST /api/v1/feed/events`` with the manager's token: batches of ``--feed-batch``
  new tickets of another ticket tool, each with two status changes (opened, in
  progress), stored with their clocks — how a ticket tool pushes its changes;
  "writes/s" counts the events stored;
* ``GET /api/v1/health`` as the baseline: what the server and the clients manage
  for a request that does almost nothing.

Every client opens a connection per request (gunicorn's sync workers close it) and
sends the next request when the answer arrived. Prints requests/s, writes/s (for the
write targets: tickets or events stored per second), p50/p95 latency and the number of
non-2xx answers per target and client count.

Run: ``python benchmarks/load.py [--workers 4] [--seconds 10] [--clients 16,64]``
(``DATABASE_URL=postgres://… python benchmarks/load.py`` for PostgreSQL).
Prints figures only; the targets (/measurement/ ≥ 98 req/s with p95 < 1 s at 64
clients; 200 API writes/s) are read off, never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from servicegate.accounts.services import token_create
from servicegate.operations.models import Asset, Customer

manager = User.objects.get(username="manager")
dispatcher = User.objects.get(username="dispatcher")
session = SessionStore()
session[SESSION_KEY] = str(manager.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = manager.get_session_auth_hash()
session.create()
asset = Asset.objects.select_related("site").first()
print(json.dumps({
    "session": session.session_key,
    "manager_token": token_create(user=manager, name="load")[1],
    "dispatcher_token": token_create(user=dispatcher, name="load")[1],
    "customer": asset.site.customer_id if asset else Customer.objects.first().pk,
    "asset": asset.pk if asset else None,
}))
"""
USERS = (
    "from django.contrib.auth.models import User; "
    "print(list(User.objects.values_list('username', flat=True)))"
)


@dataclass
class Target:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    body_of: Callable[[], bytes] | None = None  # a new body per request (unique ids)
    writes: int = 0  # writes per request: tickets or events stored


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERVICEGATE_")}
    env.update(
        SERVICEGATE_DATA_DIR=data_dir,
        SECRET_KEY="load-benchmark-secret-key-not-for-production-0123456789",
        SECURE_SSL_REDIRECT="0",
        SERVICEGATE_TASKS="database",
    )
    return env


def _servicegate(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "servicegate", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"servicegate {args[0]} failed: {result.stderr.strip()}")
    return result.stdout


def _request(port: int, target: Target) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        body = target.body_of() if target.body_of is not None else target.body
        connection.request(target.method, target.path, body=body, headers=target.headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def drive(port: int, target: Target, clients: int, seconds: float) -> tuple[Result, float]:
    """``clients`` threads request ``target`` one after another for ``seconds``."""
    results = [Result() for _ in range(clients)]
    stop_at = time.perf_counter() + seconds

    def client(result: Result) -> None:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                status = _request(port, target)
            except OSError:
                status = 0
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if not 200 <= status < 300:
                result.failures += 1

    threads = [threading.Thread(target=client, args=(r,)) for r in results]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    merged = Result()
    for result in results:
        merged.latencies += result.latencies
        merged.failures += result.failures
        for status, count in result.statuses.items():
            merged.statuses[status] = merged.statuses.get(status, 0) + count
    return merged, elapsed


def _feed_batches(customer: int, tickets: int) -> Callable[[], bytes]:
    """Bodies for the feed: ``tickets`` tickets never seen before, opened half an hour ago
    and in progress since a minute ago (ids unique across clients and runs)."""
    run = datetime.now(UTC).strftime("%H%M%S")
    numbers = itertools.count(1)  # next() holds the GIL: unique across client threads

    def body() -> bytes:
        now = datetime.now(UTC)
        items = []
        for _ in range(tickets):
            ref = f"LOAD{run}-{next(numbers)}"
            base = {"source": "loadtool", "external_id": ref}
            opened = (now - timedelta(minutes=30)).isoformat()
            items.append(
                {**base, "status": "new", "at": opened, "priority": "P3", "customer": customer}
            )
            items.append(
                {**base, "status": "in_progress", "at": (now - timedelta(minutes=1)).isoformat()}
            )
        return json.dumps(items).encode()

    return body


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _wait(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("servicegate serve exited before it answered")
        try:
            if _request(port, Target("health", "GET", "/api/v1/health", {})) == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("servicegate serve did not answer within 180 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="server processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per server process")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--clients", default="16,64", help="concurrent clients, comma-separated")
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new one)")
    parser.add_argument("--only", default="", help="run only targets whose name contains this")
    parser.add_argument(
        "--feed-batch", type=int, default=20, help="new tickets per feed batch (2 events each)"
    )
    args = parser.parse_args()

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="servicegate-load-")
    env = _env(data_dir)
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    _servicegate("migrate", "-v", "0", env=env)
    if "manager" not in _servicegate(
        "shell",
        "-c",
        USERS,
        env=env,
    ):
        started = time.perf_counter()
        _servicegate("demo-data", "--size", "small", env=env)
        print(f"demo-data --size small: {time.perf_counter() - started:.0f} s (not timed)")
    ids = json.loads(_servicegate("shell", "-c", SETUP, env=env).strip().splitlines()[-1])

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "servicegate",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait(port, server)
        page = {"Cookie": f"sessionid={ids['session']}"}
        manager = {"Authorization": f"Bearer {ids['manager_token']}"}
        dispatcher = {
            "Authorization": f"Bearer {ids['dispatcher_token']}",
            "Content-Type": "application/json",
        }
        ticket = {"title": "Load test", "customer": ids["customer"], "priority": "P3"}
        if ids["asset"]:
            ticket["asset"] = ids["asset"]
        targets = [
            Target("health (baseline)", "GET", "/api/v1/health", {}),
            Target("/measurement/", "GET", "/measurement/", page),
            Target("dashboard /", "GET", "/", page),
            Target("API at-risk", "GET", "/api/v1/at-risk", manager),
            Target(
                "API ticket writes",
                "POST",
                "/api/v1/tickets/",
                dispatcher,
                json.dumps(ticket).encode(),
                writes=1,
            ),
        ]
        feed = _feed_batches(ids["customer"], args.feed_batch)
        targets.append(
            Target(
                f"API feed ({2 * args.feed_batch} ev)",
                "POST",
                "/api/v1/feed/events",
                {**manager, "Content-Type": "application/json"},
                body_of=feed,
                writes=2 * args.feed_batch,
            )
        )
        targets = [t for t in targets if args.only in t.name]
        for target in targets:  # warm every server process's caches (not timed)
            drive(port, target, args.workers, 2.0)
        print(
            f"servicegate serve --workers {args.workers} --threads {args.threads} on "
            f"{database}, {os.cpu_count()} cores, {args.seconds:.0f} s per run"
        )
        print(
            f"{'target':<22}{'clients':>8}{'req/s':>9}{'writes/s':>9}"
            f"{'p50 ms':>9}{'p95 ms':>9}{'non-2xx':>9}"
        )
        for target in targets:
            for clients in [int(c) for c in args.clients.split(",")]:
                result, elapsed = drive(port, target, clients, args.seconds)
                lat = [x * 1000 for x in result.latencies]
                rate = len(lat) / elapsed
                writes = f"{rate * target.writes:>9.0f}" if target.writes else f"{'':>9}"
                print(
                    f"{target.name:<22}{clients:>8}{rate:>9.1f}{writes}"
                    f"{_percentile(lat, 0.5):>9.0f}{_percentile(lat, 0.95):>9.0f}"
                    f"{result.failures:>9}" + (f"  {result.statuses}" if result.failures else "")
                )
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
