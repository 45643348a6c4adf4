"""`servicegate worker`: run the background worker of the configured tasks backend.

The worker survives a locked embedded database (another write holding the lock longer
than SQLite's timeout: a long import, a bulk delete): it waits 1, 2, 4 … seconds (at
most 30) and carries on. It writes a heartbeat every few seconds and marks the jobs of
workers that stopped beating failed (see ``core.heartbeat``).
"""

from __future__ import annotations

import logging
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from servicegate.core import heartbeat
from servicegate.core.uploads import upload_temp_prune

logger = logging.getLogger(__name__)

#: The longest wait before trying a locked database again, in seconds.
MAX_LOCKED_DELAY = 30.0


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` says the SQLite database is locked or busy."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


def _every_minute() -> None:
    """Enqueue the periodic tasks (``SERVICEGATE_PERIODIC_TASKS``) once a minute.

    Every worker does; the tasks are idempotent, so several workers only repeat a check.
    """
    tasks = [import_string(path) for path in settings.SERVICEGATE_PERIODIC_TASKS]
    while True:
        for periodic in tasks:
            try:
                periodic.enqueue()
            except Exception:  # the database or Redis away for a moment: next minute
                logger.exception("could not enqueue %s", periodic)
        close_old_connections()
        time.sleep(60)


def _heartbeat(worker_id: str, stopping: threading.Event) -> None:
    """Say this worker is alive, and fail the jobs of dead workers, until ``stopping``."""
    started_at = timezone.now()
    while not stopping.is_set():
        try:
            heartbeat.beat(worker_id=worker_id, started_at=started_at)
            heartbeat.reap()
        except Exception:  # a locked or unreachable database: beat again shortly
            logger.warning("could not write the worker heartbeat; trying again", exc_info=True)
        finally:
            close_old_connections()
        stopping.wait(settings.SERVICEGATE_HEARTBEAT_SECONDS)


class Command(BaseCommand):
    help = "Run the background worker (database queue by default; Redis: SERVICEGATE_TASKS=redis)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="process what is queued, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        upload_temp_prune()  # partial uploads of a server killed before this start
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.endswith("ImmediateBackend"):
            self.stdout.write("Tasks run immediately in this configuration; no worker needed.")
            return
        worker_id = get_random_string(32)
        heartbeat.set_current_worker_id(worker_id)
        stopping = threading.Event()
        if not options["batch"]:
            threading.Thread(target=_every_minute, daemon=True, name="periodic").start()
            threading.Thread(
                target=_heartbeat, args=(worker_id, stopping), daemon=True, name="heartbeat"
            ).start()
        try:
            self._run_until_stopped(backend, worker_id, options)
        finally:
            stopping.set()
            try:
                heartbeat.stop(worker_id=worker_id)
            except Exception:
                logger.warning("could not remove the worker heartbeat", exc_info=True)

    def _run_until_stopped(self, backend: str, worker_id: str, options: dict[str, Any]) -> None:
        delay = 1.0
        while True:
            try:
                self._run(backend, worker_id, options)
                return
            except OperationalError as exc:
                if not is_locked(exc):
                    raise
                close_old_connections()
                self.stderr.write(
                    f"The database is locked by another write ({exc}); the worker tries "
                    f"again in {delay:.0f} s."
                )
                time.sleep(delay)
                delay = min(delay * 2, MAX_LOCKED_DELAY)

    def _run(self, backend: str, worker_id: str, options: dict[str, Any]) -> None:
        if backend.startswith("django_tasks_db"):
            extra = ["--batch"] if options["batch"] else []
            call_command(
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--no-startup-delay",
                "--worker-id",
                worker_id,
                *extra,
                verbosity=options["verbosity"],
            )
        elif backend.startswith("django_tasks_rq"):
            extra = ["--burst"] if options["batch"] else []
            call_command(
                "rqworker", "default", "--job-class", "django_tasks_rq.backend.Job", *extra
            )
