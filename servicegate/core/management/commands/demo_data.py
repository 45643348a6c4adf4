"""`servicegate demo-data`: create the demo organisation."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from servicegate.core.demo import build_demo, database_contents, print_logins


class Command(BaseCommand):
    help = "Create the demo organisation (a machine builder's service organisation)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        parser.add_argument(
            "--size",
            choices=["small", "large"],
            default="small",
            help="small (default) or large (a ticket history of over a million tickets)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="empty a database that already holds data, then create the demo",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        held = database_contents()
        if held:
            if not options["force"]:
                raise CommandError(
                    f"The database already holds {', '.join(held)}; nothing was changed."
                    " A demo would mix with them: use an empty database, or --force to"
                    " replace everything in it with the demo organisation."
                )
            self.stdout.write("Emptying the database (--force) …")
            call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", verbosity=0, interactive=False)  # re-creates role groups
        build_demo(seed=options["seed"], size=options["size"], report=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("The demo organisation is ready."))
        print_logins(self.stdout.write)
