"""The demo's KVP step: findings from breaches and every other source, actions in every
stage, the effect measured on the demo's clocks."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from servicegate.core.demo import DemoContext
from servicegate.improvement.demo import build
from servicegate.improvement.models import Action, Finding
from servicegate.improvement.tests.conftest import Summarise
from servicegate.promises.models import Promise


@override_settings(SERVICEGATE_BREACH_FINDING_THRESHOLD=3)
def test_the_step_raises_findings_and_moves_actions_through_every_stage(
    promise: Promise,
    summarise: Summarise,
    persona: object,
) -> None:
    get = persona
    users: dict[str, User] = {
        "manager": get("bob"),  # type: ignore[operator]
        "quality": get("quinn"),  # type: ignore[operator]
        "technician": get("carol"),  # type: ignore[operator]
        "dispatcher": get("dana"),  # type: ignore[operator]
    }
    today = timezone.now().date()
    # given a year of clocks, worse before than after the middle, and breaches this month
    for back in range(1, 365):
        met = 6 if back > 200 else 10
        summarise(promise, today - timedelta(days=back), 10, met)
    summarise(promise, today, 5, 0, "queue")
    lines: list[str] = []
    ctx = DemoContext(
        seed=1,
        size="small",
        rng=np.random.default_rng(1),
        report=lines.append,
        objects={"users": users, "promises": [promise]},
    )
    build(ctx)
    sources = set(Finding.objects.values_list("source", flat=True))
    assert sources == {"breach", "g4_review", "customer_feedback", "technician", "retrospective"}
    stages = set(Action.objects.values_list("stage", flat=True))
    assert stages == {"plan", "do", "check", "act", "done"}
    assert Action.objects.filter(stage__in=["act", "done"], verdict="improved").exists()
    assert lines[-1].startswith("demo: ") and "verified effect" in lines[-1]
