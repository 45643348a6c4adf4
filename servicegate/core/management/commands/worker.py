"""`servicegate worker`: run the background worker of the configured tasks backend."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (database queue by default; Redis: SERVICEGATE_TASKS=redis)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="process what is queued, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = str(settings.TASKS["default"]["BACKEND"])
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
