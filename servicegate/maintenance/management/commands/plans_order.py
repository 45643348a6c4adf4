"""`servicegate plans-order`: order the work of every active preventive plan ahead (daily)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from servicegate.maintenance.services import HORIZON_DAYS, plans_order


class Command(BaseCommand):
    help = (
        "Order the work of every active preventive plan ahead (usage and remaining-life"
        " triggers move their horizon forward) and end the plans whose period is over."
        " Idempotent: run it daily."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--horizon", type=int, default=HORIZON_DAYS, help="Days ahead.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = plans_order(today=timezone.localdate(), horizon_days=options["horizon"])
        for plan, refused in result.refused:
            self.stderr.write(f"plan {plan}: {refused}")
        self.stdout.write(
            f"{result.plans} plans: {result.work_orders} work orders opened,"
            f" {result.ended} plans ended."
        )
