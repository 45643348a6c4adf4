"""`servicegate serve`: gunicorn with a supervised worker, stopped together by a signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from servicegate.core.serving import Supervisor

pytestmark = pytest.mark.xdist_group("serve")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> set[int]:
    """The process ids of ``pid``'s children and their children."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            ids = {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            continue
        for child in ids:
            found |= {child, *children(child)}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # the database too: a test on SQLite must not reach the suite's PostgreSQL database
        # (a test that wants PostgreSQL passes DATABASE_URL in ``extra``)
        if not key.startswith(("SERVICEGATE_", "DJANGO_", "PYTEST")) and key != "DATABASE_URL"
    }
    env.update(
        SERVICEGATE_DATA_DIR=str(data_dir),
        SECRET_KEY="a-production-secret-key-for-this-test-0123456789",
        SECURE_SSL_REDIRECT="0",
        SERVICEGATE_TASKS="database",
    )
    env.update(extra)
    return env


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited before it answered"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def start_serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "servicegate", "serve", "--port", str(port), *args],
        env=production_env(tmp_path / "data"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/v1/health", process)
    except AssertionError:
        process.kill()
        raise
    return process, base


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_without_a_server_header_and_a_signal_stops_server_and_worker(
    tmp_path: Path, signum: int
) -> None:
    process, base = start_serve(tmp_path, "--workers", "2")
    try:
        with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as response:
            assert response.status == 200
            assert response.headers.get("Server") is None
        with urllib.request.urlopen(f"{base}/static/servicegate/servicegate.css") as response:
            assert response.status == 200  # WhiteNoise serves the static files
        family = children(process.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in family]
        assert any(b"gunicorn" in cmd for cmd in commands)
        assert any(b"worker" in cmd for cmd in commands)
        assert len(family) >= 4  # gunicorn's arbiter, two server processes, the worker
        process.send_signal(signum)
        assert process.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in family if alive(pid)], "a child outlived `serve`"
    finally:
        if process.poll() is None:
            process.kill()


def test_the_supervisor_starts_a_worker_again_when_it_exits() -> None:
    said: list[str] = []
    supervisor = Supervisor(
        server=None, worker=[sys.executable, "-c", "raise SystemExit(3)"], say=said.append
    )

    def stop_after_a_restart(_signum: int, _frame: object) -> None:
        supervisor._signal = signal.SIGTERM

    previous = signal.signal(signal.SIGALRM, stop_after_a_restart)
    signal.setitimer(signal.ITIMER_REAL, 4.0)
    try:
        assert supervisor.run() == 0
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert supervisor.restarts >= 1
    assert said[0] == "The background worker exited (code 3); starting it again in 1 s."


def test_serve_refuses_a_bad_port(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "servicegate", "serve", "--port", "70000"],
        env=production_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "--port must be between 1 and 65535, not 70000." in result.stderr


def test_sigint_stops_the_demo_server_and_its_worker(tmp_path: Path) -> None:
    env = production_env(tmp_path / "data")
    env.pop("SECRET_KEY")
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "servicegate",
            "createsuperuser",
            "--noinput",
            "--username",
            "op",
            "--email",
            "op@example.org",
        ],
        env=env | {"DJANGO_SUPERUSER_PASSWORD": "a-long-password-42"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "servicegate", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/api/v1/health", demo)
        family = children(demo.pid)
        assert any(b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in family)
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in family if alive(pid)], "a child outlived `demo`"
    finally:
        if demo.poll() is None:
            demo.kill()
