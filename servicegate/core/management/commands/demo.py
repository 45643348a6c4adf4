"""`servicegate demo`: prepare the demo organisation on first start and serve it."""

from __future__ import annotations

import os
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from servicegate.core.demo import database_holds_data, print_logins


class Command(BaseCommand):
    help = "Serve Servicegate with the demo organisation on http://127.0.0.1:8000."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
        parser.add_argument("--seed", type=int, default=42, help="seed of a new demo")
        parser.add_argument("--no-worker", action="store_true", help="start no background worker")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        if not database_holds_data():
            self.stdout.write("First start: creating the demo organisation …")
            call_command("demo_data", seed=options["seed"])
        else:
            print_logins(self.stdout.write)
        worker = None
        if not options["no_worker"]:
            env = dict(os.environ, SERVICEGATE_DEMO="1")
            worker = subprocess.Popen(
                [sys.executable, "-m", "servicegate", "worker", "--verbosity", "0"], env=env
            )
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Servicegate runs on http://{address}/"))
        try:
            call_command("runserver", address, use_reloader=False, skip_checks=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
