"""`servicegate serve`: the production server (gunicorn) with a supervised worker."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from servicegate.core.serving import Supervisor, default_web_workers, gunicorn_argv, worker_argv
from servicegate.core.uploads import upload_temp_prune


class Command(BaseCommand):
    help = (
        "Serve Servicegate with gunicorn (N processes, static files by WhiteNoise) and a "
        "background worker that is restarted when it exits; Ctrl-C or SIGTERM stops both."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("SERVICEGATE_WEB_WORKERS", "0") or 0),
            help="server processes (default: two per core, at most 8)",
        )
        parser.add_argument(
            "--threads", type=int, default=1, help="threads per server process (default 1)"
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="start no background worker (it runs elsewhere: `servicegate worker`)",
        )
        parser.add_argument("--access-log", action="store_true", help="log every request on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or default_web_workers()
        if workers < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {options['port']}.")
        host = options["host"]
        bind = f"[{host}]:{options['port']}" if ":" in host else f"{host}:{options['port']}"
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise's root
        upload_temp_prune()  # partial uploads of a server killed before this start
        connections.close_all()
        supervisor = Supervisor(
            server=gunicorn_argv(
                bind=bind,
                workers=workers,
                threads=options["threads"],
                access_log=options["access_log"],
            ),
            worker=None if options["no_worker"] else worker_argv(),
            say=self.stderr.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Servicegate runs on http://{bind}/ with {workers} server processes"
                + ("" if options["no_worker"] else " and a background worker")
            )
        )
        self.stdout.flush()
        code = supervisor.run()
        if code:
            raise SystemExit(code)
