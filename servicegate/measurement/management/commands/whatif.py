"""`servicegate whatif PROMISE_ID`: replay a promise's terms over the ticket history."""

from __future__ import annotations

import csv
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from servicegate.measurement.replay import HistoryReplay, ReplayError
from servicegate.measurement.replay_input import ReplayInput, parse_target, replay_of_input
from servicegate.promises.models import Promise


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


class Command(BaseCommand):
    help = (
        "Replay a promise's terms (a draft's too) over the tickets they would have covered, "
        "by default the last 365 days; --target, --calendar and the status options try "
        "other terms. Nothing is stored."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("promise_id", type=int)
        parser.add_argument("--target", help="Another target: 30m, 6h, 4bh or 1bd.")
        parser.add_argument("--calendar", help="Id of another business calendar.")
        parser.add_argument("--from", dest="start", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", help="Last day, YYYY-MM-DD (default today).")
        parser.add_argument("--period", help="Also per week, month or quarter.")
        parser.add_argument("--start-statuses", help="Statuses that start the clock (a,b).")
        parser.add_argument("--pause-statuses", help="Statuses that pause it ('' for none).")
        parser.add_argument("--stop-statuses", help="Statuses that stop it.")
        parser.add_argument("--reopen", help="resume or new_cycle.")
        out = parser.add_mutually_exclusive_group()
        out.add_argument("--json", action="store_true", help="Print JSON (as the API).")
        out.add_argument("--csv", action="store_true", help="Print CSV: total and periods.")

    def handle(self, *args: Any, **options: Any) -> None:
        pk = options["promise_id"]
        promise = Promise.objects.select_related("calendar").filter(pk=pk).first()
        if promise is None:
            raise CommandError(
                f"There is no promise with id {pk}; list them on the promises page.",
                returncode=2,
            )
        try:
            value, unit = parse_target(options["target"]) if options["target"] else (None, None)
            given = ReplayInput(
                start=options["start"],
                end=options["end"],
                period=options["period"],
                target_value=None if value is None else str(value),
                target_unit=unit,
                calendar=options["calendar"],
                start_statuses=options["start_statuses"],
                pause_statuses=options["pause_statuses"],
                stop_statuses=options["stop_statuses"],
                reopen=options["reopen"],
            )
            replay = replay_of_input(promise=promise, given=given)
        except ReplayError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(replay.to_dict(), indent=2))
        elif options["csv"]:
            self._csv(replay)
        else:
            self._text(promise, replay)

    def _csv(self, replay: HistoryReplay) -> None:
        writer = csv.writer(self.stdout)
        writer.writerow(["period", "n", "met", "rate", "ci_low", "ci_high"])
        rows = [("total", replay.total), *((str(a.period), a) for a in replay.periods)]
        for name, a in rows:
            rate = "" if a.rate is None else f"{a.rate:.4f}"
            writer.writerow([name, a.n, a.met, rate, f"{a.ci_low:.4f}", f"{a.ci_high:.4f}"])

    def _text(self, promise: Promise, replay: HistoryReplay) -> None:
        t, a = replay.terms, replay.total
        self.stdout.write(
            f"#{promise.pk} {promise} ({promise.get_state_display()})\n"
            f"Terms: {t.target_value} {t.target_unit} on calendar {t.calendar.name}, "
            f"start {','.join(t.start_statuses) or 'at opening'}, "
            f"pause {','.join(t.pause_statuses) or 'never'}, "
            f"stop {','.join(t.stop_statuses) or '-'}, reopen {t.reopen}\n"
            f"Window {replay.start} .. {replay.end}: {replay.tickets} tickets in scope, "
            f"{a.n} decided, {a.met} met, {replay.not_started} never started."
        )
        if a.rate is None:
            self.stdout.write("No clock was decided in the window, so there is no rate yet.")
            return
        verdict = "kept" if a.kept else "not kept"
        self.stdout.write(
            f"Had it been in force, it would have been kept on {_percent(a.rate)} of tickets "
            f"(95 % interval {_percent(a.ci_low)} – {_percent(a.ci_high)}) against the "
            f"{_percent(a.level)} promised: {verdict}."
        )
        for p in replay.periods:
            self.stdout.write(f"  {p.period}  {p.met:>6} / {p.n:<6} {_percent(p.rate):>8}")
