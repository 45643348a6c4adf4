"""`servicegate demo`: prepare the demo organisation on first start and serve it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from servicegate.core.demo import database_holds_data, print_logins
from servicegate.core.serving import Supervisor, gunicorn_argv, worker_argv
from servicegate.core.uploads import upload_temp_prune


class Command(BaseCommand):
    help = "Serve Servicegate with the demo organisation on http://127.0.0.1:8000."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
        parser.add_argument("--seed", type=int, default=42, help="seed of a new demo")
        parser.add_argument("--no-worker", action="store_true", help="start no background worker")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        upload_temp_prune()  # partial uploads of a server killed before this start
        if not database_holds_data():
            self.stdout.write("First start: creating the demo organisation …")
            call_command("demo_data", seed=options["seed"])
        else:
            print_logins(self.stdout.write)
        host = options["host"]
        bind = f"[{host}]:{options['port']}" if ":" in host else f"{host}:{options['port']}"
        # The demo runs like production: gunicorn, and a worker started again if it exits;
        # Ctrl-C or SIGTERM stops both.
        supervisor = Supervisor(
            server=gunicorn_argv(bind=bind, workers=2, threads=4, access_log=False),
            worker=None if options["no_worker"] else worker_argv(),
            say=self.stderr.write,
        )
        connections.close_all()
        self.stdout.write(self.style.SUCCESS(f"Servicegate runs on http://{bind}/"))
        self.stdout.flush()
        code = supervisor.run()
        if code:
            raise SystemExit(code)
