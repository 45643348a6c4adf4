"""`servicegate worker`: run the background worker of the configured tasks backend."""

from __future__ import annotations

import logging
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


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


class Command(BaseCommand):
    help = "Run the background worker (database queue by default; Redis: SERVICEGATE_TASKS=redis)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="process what is queued, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = str(settings.TASKS["default"]["BACKEND"])
        if not options["batch"] and not backend.endswith("ImmediateBackend"):
            threading.Thread(target=_every_minute, daemon=True, name="periodic").start()
        if backend.startswith("django_tasks_db"):
            extra = ["--batch"] if options["batch"] else []
            call_command(
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                *extra,
                verbosity=options["verbosity"],
            )
        elif backend.startswith("django_tasks_rq"):
            extra = ["--burst"] if options["batch"] else []
            call_command(
                "rqworker", "default", "--job-class", "django_tasks_rq.backend.Job", *extra
            )
        else:
            self.stdout.write("Tasks run immediately in this configuration; no worker needed.")
