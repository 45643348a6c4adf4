"""Demo step: every promise in feasibility review carries its computed G1 feasibility.

Runs after the operations step, so the tickets that feed the check exist. A promise
the check cannot assess (a percentage promise such as availability) is reported and
left as it is.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from servicegate.core.demo import DemoContext
from servicegate.engines.queueing import PlanningInputError
from servicegate.planning.selectors import open_g1_review
from servicegate.planning.services import feasibility_attach
from servicegate.promises import services
from servicegate.promises.choices import PromiseState
from servicegate.promises.models import GateDefinition, Promise


def build(ctx: DemoContext) -> None:
    """Open the G1 review where none is open, then compute and attach the feasibility."""
    manager: User = ctx.objects["users"]["manager"]
    promises: list[Promise] = ctx.objects.get("promises", [])
    attached = 0
    for promise in promises:
        promise.refresh_from_db()
        if promise.state != PromiseState.FEASIBILITY_REVIEW:
            continue
        if open_g1_review(promise) is None:
            services.gate_review_open(
                gate=GateDefinition.objects.get(code="G1"), promise=promise, by=manager
            )
        try:
            feasibility_attach(promise=promise, by=manager)
        except PlanningInputError as exc:
            ctx.report(f"demo: feasibility of promise {promise.pk} skipped: {exc}")
            continue
        attached += 1
    ctx.report(f"demo: feasibility attached to {attached} promises in G1 review")
