"""``servicegate clocks-recompute``: recompute promise clocks now (in this process)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from servicegate.calendars.models import BusinessCalendar
from servicegate.measurement.services import clocks_recompute
from servicegate.promises.models import Promise


class Command(BaseCommand):
    help = "Recompute the promise clocks of all tickets, or of one promise or calendar."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--promise", type=int, help="only tickets this promise may cover")
        parser.add_argument("--calendar", type=int, help="only promises on this calendar")

    def handle(self, *args: Any, **options: Any) -> None:
        promise = calendar = None
        if options["promise"]:
            promise = Promise.objects.filter(pk=options["promise"]).first()
            if promise is None:
                raise CommandError(f"There is no promise {options['promise']}; check the id.")
        if options["calendar"]:
            calendar = BusinessCalendar.objects.filter(pk=options["calendar"]).first()
            if calendar is None:
                raise CommandError(f"There is no calendar {options['calendar']}; check the id.")

        def progress(done: int, total: int | None, message: str) -> None:
            self.stderr.write(f"{message}")

        result = clocks_recompute(promise=promise, calendar=calendar, progress=progress)
        self.stdout.write(
            f"{result.clocks:,} clocks on {result.tickets:,} tickets in {result.seconds:.1f} s "
            f"({result.written:,} changed and written)"
        )
