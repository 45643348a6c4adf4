"""The demo's planning step attaches the feasibility to promises in G1 review."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from django.contrib.auth.models import User

from servicegate.core.demo import DemoContext
from servicegate.planning.demo import build
from servicegate.planning.models import FeasibilityResult
from servicegate.promises.models import Evidence, Promise


def test_build_opens_g1_as_manager_and_attaches_the_evidence(
    promise: Promise,
    bob: User,
    team: Callable[[int], list[object]],
    tickets: Callable[..., int],
) -> None:
    team(4)
    tickets(30)
    lines: list[str] = []
    ctx = DemoContext(
        seed=1,
        size="small",
        rng=np.random.default_rng(1),
        report=lines.append,
        objects={"users": {"manager": bob}, "promises": [promise]},
    )
    build(ctx)
    result = FeasibilityResult.objects.get(promise=promise)
    assert result.review is not None and result.review.gate.code == "G1"
    assert Evidence.objects.get(review=result.review).added_by == bob
    assert lines[-1] == "demo: feasibility attached to 1 promises in G1 review"
