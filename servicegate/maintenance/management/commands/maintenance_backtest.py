"""`servicegate maintenance-backtest`: fit component lives before a cutoff, predict after."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import UTC, date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from servicegate.maintenance.backtest import backtest


def _day(value: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(value), time.min, tzinfo=UTC)
    except ValueError:
        raise CommandError(f"{value!r} is no date; write it as 2015-10-01.", returncode=2) from None


class Command(BaseCommand):
    help = (
        "Fit each component's Weibull life on the life events before --cutoff, predict its"
        " failures from --cutoff until --until and print predicted against actual."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cutoff", default="2015-10-01", help="First day predicted.")
        parser.add_argument("--until", default="2016-01-01", help="First day after the period.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff, until = _day(options["cutoff"]), _day(options["until"])
        if until <= cutoff:
            raise CommandError("--until must lie after --cutoff.", returncode=2)
        rows = backtest(cutoff=cutoff, until=until)
        if not rows:
            raise CommandError(
                "No component has two failures before the cutoff; import life data first"
                " (servicegate import maintenance azure-pdm DIR).",
                returncode=2,
            )
        predicted = sum(r.predicted for r in rows)
        actual = sum(r.actual for r in rows)
        if options["json"]:
            out = {"components": [r.as_dict() for r in rows], "predicted": predicted}
            self.stdout.write(json.dumps({**out, "actual": actual}))
            return
        self.stdout.write(
            f"{'component':<12}{'fails':>7}{'cens':>7}{'beta':>7}{'alpha d':>9}"
            f"{'predicted':>11}{'actual':>8}"
        )
        for r in rows:
            self.stdout.write(
                f"{r.component:<12}{r.failures_before:>7}{r.censored_before:>7}{r.beta:>7.2f}"
                f"{r.alpha:>9.1f}{r.predicted:>11.1f}{r.actual:>8}"
            )
        self.stdout.write(f"{'total':<12}{'':>30}{predicted:>11.1f}{actual:>8}")
