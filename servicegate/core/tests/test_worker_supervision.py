"""The worker survives a locked database, beats, and fails the jobs of a dead worker."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from servicegate.core import heartbeat
from servicegate.core.locks import WAITING, exclusive_import
from servicegate.core.models import Job, WorkerHeartbeat
from servicegate.core.tests.test_serve import production_env

pytestmark = pytest.mark.xdist_group("serve")


@pytest.mark.django_db
def test_reap_fails_the_running_jobs_of_a_worker_that_stopped_beating() -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="dead", started_at=now, seen_at=now - timedelta(hours=1)
    )
    WorkerHeartbeat.objects.create(worker_id="alive", started_at=now, seen_at=now)
    of_dead = Job.objects.create(kind="import", title="a", status="running", worker_id="dead")
    of_alive = Job.objects.create(kind="import", title="b", status="running", worker_id="alive")
    of_gone = Job.objects.create(kind="import", title="c", status="running", worker_id="gone")
    in_process = Job.objects.create(kind="import", title="d", status="running", worker_id="")
    assert heartbeat.reap(now=now) == 2
    of_dead.refresh_from_db()
    assert of_dead.status == "failed"
    assert of_dead.message.startswith("The worker running this job stopped (last seen ")
    assert of_dead.message.endswith("); start the job again.")
    of_gone.refresh_from_db()
    assert of_gone.message == "The worker running this job stopped; start the job again."
    assert Job.objects.get(pk=of_alive.pk).status == "running"
    assert Job.objects.get(pk=in_process.pk).status == "running"
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_a_second_import_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    said: list[str] = []
    order: list[str] = []
    with override_settings(EMBEDDED_DATABASE=True, DATA_DIR=tmp_path):

        def second() -> None:
            with exclusive_import(say=said.append):
                order.append("second")

        with exclusive_import(say=said.append):
            thread = threading.Thread(target=second)
            thread.start()
            time.sleep(0.5)
            order.append("first")
        thread.join(timeout=10)
    assert order == ["first", "second"]
    assert said == [WAITING]


def test_imports_run_in_parallel_on_postgresql(tmp_path: Path) -> None:
    said: list[str] = []
    with (
        override_settings(EMBEDDED_DATABASE=False, DATA_DIR=tmp_path),
        exclusive_import(say=said.append),
        exclusive_import(say=said.append),
    ):
        pass
    assert said == []


def _query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def _wait_until(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.3)
    return False


def test_the_worker_waits_out_a_locked_database_and_jobs_of_a_killed_worker_fail(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    env = production_env(
        data,
        SERVICEGATE_SQLITE_TIMEOUT="1",
        SERVICEGATE_HEARTBEAT_SECONDS="1",
        SERVICEGATE_WORKER_DEAD_AFTER="3",
    )
    subprocess.run(
        [sys.executable, "-m", "servicegate", "migrate", "-v", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    db = data / "servicegate.sqlite3"
    worker = subprocess.Popen(
        [sys.executable, "-m", "servicegate", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_until(
            lambda: _query(db, "SELECT count(*) FROM core_workerheartbeat")[0][0], 60
        )
        # Another write holds the lock far longer than SQLite's timeout.
        locker = sqlite3.connect(db, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        time.sleep(6)
        assert worker.poll() is None, "the worker died on a locked database"
        locker.execute("ROLLBACK")
        locker.close()
        (worker_id,) = _query(db, "SELECT worker_id FROM core_workerheartbeat")[0]
        seen = _query(db, "SELECT seen_at FROM core_workerheartbeat")[0][0]
        assert _wait_until(
            lambda: _query(db, "SELECT seen_at FROM core_workerheartbeat")[0][0] != seen, 20
        ), "the heartbeat stopped after the lock"
        # The worker is killed in the middle of a job.
        _query(
            db,
            "INSERT INTO core_job (kind, title, status, params, result, done, message, "
            "created_at, worker_id) VALUES ('import', 'big import', 'running', '{}', '{}', 0, "
            f"'', datetime('now'), '{worker_id}')",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        second = subprocess.Popen(
            [sys.executable, "-m", "servicegate", "worker", "--verbosity", "0"], env=env
        )
        try:
            assert _wait_until(
                lambda: _query(db, "SELECT DISTINCT status FROM core_job") == [("failed",)], 60
            ), "the job of the killed worker stayed running"
            (message,) = _query(db, "SELECT DISTINCT message FROM core_job")[0]
            assert str(message).startswith("The worker running this job stopped")
        finally:
            second.terminate()
            assert second.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    stderr = worker.stderr.read() if worker.stderr else ""
    assert "check that SERVICEGATE_DATA_DIR is writable" not in stderr


def test_the_worker_loop_tries_a_locked_database_again_with_backoff(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import OperationalError

    from servicegate.core.management.commands import worker as worker_command

    calls: list[str] = []
    sleeps: list[float] = []

    def run(self: object, backend: str, worker_id: str, options: object) -> None:
        calls.append(worker_id)
        if len(calls) < 3:
            raise OperationalError("database is locked")

    monkeypatch.setattr(worker_command.Command, "_run", run)
    monkeypatch.setattr("servicegate.core.management.commands.worker.time.sleep", sleeps.append)
    monkeypatch.setattr(
        "servicegate.core.management.commands.worker.close_old_connections", lambda: None
    )
    command = worker_command.Command()
    command._run_until_stopped("django_tasks_db.DatabaseBackend", "w1", {})
    assert calls == ["w1", "w1", "w1"]
    assert sleeps == [1.0, 2.0]


def test_the_worker_loop_does_not_hide_other_database_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import OperationalError

    from servicegate.core.management.commands import worker as worker_command

    def run(self: object, backend: str, worker_id: str, options: object) -> None:
        raise OperationalError("no such table: core_job")

    monkeypatch.setattr(worker_command.Command, "_run", run)
    with pytest.raises(OperationalError, match="no such table"):
        worker_command.Command()._run_until_stopped("django_tasks_db.DatabaseBackend", "w", {})
