"""`servicegate forecast-db`: forecast of reactive tickets from the database."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from servicegate.catalog.models import Segment
from servicegate.engines.queueing import PlanningInputError
from servicegate.operations.choices import Priority
from servicegate.planning.selectors import TicketScope, demand_forecast


def _segment_id(value: str | None) -> int | None:
    """A segment by id or by name (case-insensitive)."""
    if not value:
        return None
    qs = (
        Segment.objects.filter(pk=int(value))
        if value.isdigit()
        else Segment.objects.filter(name__iexact=value)
    )
    segment = qs.first()
    if segment is None:
        raise CommandError(f"There is no segment {value!r}; give its id or name.", returncode=2)
    return segment.pk


class Command(BaseCommand):
    help = (
        "Forecast reactive tickets (incidents, requests) from the ticket history in the "
        "database, with a prediction interval and a backtest against the seasonal-naive "
        "forecast. For a CSV file use `servicegate forecast --input`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--segment", help="Segment id or name.")
        parser.add_argument("--priority", choices=Priority.values, help="Only this priority.")
        parser.add_argument("--freq", choices=("day", "hour"), default="day")
        parser.add_argument("--horizon", type=int, default=14, help="Days ahead (default 14).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["horizon"] < 1:
            raise CommandError("The horizon (--horizon) must be at least 1 day.", returncode=2)
        scope = TicketScope(
            segment_id=_segment_id(options["segment"]), priority=options["priority"] or ""
        )
        try:
            demand = demand_forecast(scope, freq=options["freq"], horizon_days=options["horizon"])
        except PlanningInputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(demand.to_dict(), indent=2))
            return
        self.stdout.write(f"{demand.arrivals:,} reactive tickets over {demand.days} days.")
        if demand.message:
            self.stdout.write(demand.message)
        if demand.forecast is not None:
            fc = demand.forecast
            for start, mean, low, high in zip(
                fc.bucket_starts, fc.mean, fc.lower, fc.upper, strict=True
            ):
                self.stdout.write(f"{start}  {mean:8.1f}   [{low:.0f}, {high:.0f}]")
        if demand.backtest is not None:
            b = demand.backtest
            self.stdout.write(
                f"backtest ({len(b.origins)} origins): model MASE {b.model_mase:.3f} "
                f"WAPE {b.model_wape:.3f}; seasonal naive MASE {b.naive_mase:.3f} "
                f"WAPE {b.naive_wape:.3f}"
            )
