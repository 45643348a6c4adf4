"""`servicegate feasibility PROMISE_ID`: the Gate-1 feasibility of a promise."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from servicegate.engines.queueing import PlanningInputError
from servicegate.planning.feasibility import feasibility_report, report_summary
from servicegate.planning.services import feasibility_attach
from servicegate.promises.models import Promise


def _decider(username: str | None) -> User:
    """The user named by --as, else the first active user who may decide gates."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r}; check --as.", returncode=2)
        return user
    perm = Q(groups__permissions__codename="decide_gate") | Q(
        user_permissions__codename="decide_gate"
    )
    user = User.objects.filter(perm, is_active=True).distinct().order_by("pk").first()
    if user is None:
        raise CommandError(
            "No active user may decide gates; give one with --as USERNAME.", returncode=2
        )
    return user


class Command(BaseCommand):
    help = (
        "Assess whether a promise can be kept with today's staffing and expected tickets "
        "(Gate 1); --attach stores the result as evidence on its open G1 review."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("promise_id", type=int)
        parser.add_argument(
            "--extra-per-week", type=float, default=0.0, help="Extra tickets per week expected."
        )
        parser.add_argument("--confidence", type=float, default=0.9, help="Default 0.9.")
        parser.add_argument("--attach", action="store_true", help="Store as G1 evidence.")
        parser.add_argument("--as", dest="as_user", help="Attach as this user.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        promise = (
            Promise.objects.select_related("calendar").filter(pk=options["promise_id"]).first()
        )
        if promise is None:
            raise CommandError(
                f"There is no promise with id {options['promise_id']}; "
                "list them with the API or the promises page.",
                returncode=2,
            )
        extra, confidence = options["extra_per_week"], options["confidence"]
        try:
            report = feasibility_report(
                promise, extra_arrivals_per_week=extra, confidence=confidence
            )
            out: dict[str, Any] = {"promise": promise.pk, **report.to_dict()}
            if options["attach"]:
                result = feasibility_attach(
                    promise=promise,
                    by=_decider(options["as_user"]),
                    extra_arrivals_per_week=extra,
                    confidence=confidence,
                )
                out["attached"] = {"result": result.pk, "review": result.review_id}
        except (PlanningInputError, PermissionDenied) as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(out, indent=2))
            return
        self.stdout.write(f"{promise}\n{report_summary(report)}")
        if "attached" in out:
            review = out["attached"]["review"]
            self.stdout.write(
                f"Stored as feasibility result #{out['attached']['result']}"
                + (f", attached to G1 review #{review}." if review else "; no open G1 review.")
            )
