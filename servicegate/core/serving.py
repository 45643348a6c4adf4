"""Serve Servicegate in production: gunicorn and a background worker, supervised together.

``Supervisor`` starts gunicorn (N processes; static files come from WhiteNoise inside
the application) and, unless told otherwise, `servicegate worker` as child processes.
A worker that exits is started again after 1, 2, 4 … seconds (at most 30); when the
server exits, or on SIGINT or SIGTERM, both children are stopped and waited for. On
Linux a child also receives SIGTERM should the supervising process die.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from types import FrameType

#: The longest pause between two starts of a worker that keeps exiting, in seconds.
MAX_RESTART_DELAY = 30.0


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to send SIGTERM to this child when the supervising process dies."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def spawn(argv: list[str]) -> subprocess.Popen[bytes]:
    """Start a child in its own session (the terminal's Ctrl-C reaches the supervisor)."""
    return subprocess.Popen(
        argv,
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "servicegate", "worker", "--verbosity", "0"]


def gunicorn_argv(*, bind: str, workers: int, threads: int, access_log: bool) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:servicegate.core.gunicorn_conf",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--timeout",
        "120",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    ]
    if access_log:
        argv += ["--access-logfile", "-"]
    return [*argv, "servicegate.wsgi:application"]


def default_web_workers() -> int:
    """Gunicorn processes when none are asked for: two per core, at least 2, at most 8."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def _stop(process: subprocess.Popen[bytes] | None, timeout: float = 15.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Supervisor:
    """Run a server child and an optional worker child until a signal or the server ends."""

    def __init__(
        self,
        *,
        server: list[str] | None,
        worker: list[str] | None,
        say: Callable[[str], None] = print,
    ) -> None:
        self.server_argv = server
        self.worker_argv = worker
        self.say = say
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._signal: int | None = None

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signal = signum

    def run(self) -> int:
        """Supervise until SIGINT/SIGTERM or the server's exit; returns the exit code."""
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            return self._loop()
        finally:
            _stop(self.server)
            _stop(self.worker)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self) -> int:
        if self.server_argv:
            self.server = spawn(self.server_argv)
        if self.worker_argv:
            self.worker = spawn(self.worker_argv)
        delay, started, restart_at = 1.0, time.monotonic(), None
        while self._signal is None:
            if self.server is not None and (code := self.server.poll()) is not None:
                self.say(f"The server exited (code {code}); stopping the worker.")
                return code or 1
            if self.worker is not None and self.worker_argv:
                now = time.monotonic()
                if restart_at is None and (code := self.worker.poll()) is not None:
                    if now - started > 60:
                        delay = 1.0
                    self.say(
                        f"The background worker exited (code {code}); starting it again "
                        f"in {delay:.0f} s."
                    )
                    restart_at = now + delay
                    delay = min(delay * 2, MAX_RESTART_DELAY)
                elif restart_at is not None and now >= restart_at:
                    self.worker = spawn(self.worker_argv)
                    self.restarts += 1
                    started, restart_at = now, None
            time.sleep(0.2)
        return 0
