"""The demo organisation: a plausible machine builder's service organisation.

``build_demo`` runs the steps in ``STEPS`` in order; every area adds its own step
(catalogue and promises, installed base and tickets, ...). Every step draws its
randomness from the context's ``numpy.random.Generator``, so a seed gives the same
organisation every time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

Size = Literal["small", "large"]


@dataclass
class DemoContext:
    """What every demo step gets: the seed's generator, the size and shared objects."""

    seed: int
    size: Size
    rng: np.random.Generator
    report: Callable[[str], None]
    objects: dict[str, Any] = field(default_factory=dict)


Step = tuple[str, Callable[[DemoContext], None]]


def steps() -> list[Step]:
    """The demo steps in the order they run."""
    from servicegate.core.demo import measurement, operations, organisation, planning, promises

    return [
        ("organisation", organisation.build),
        ("promises", promises.build),
        ("operations", operations.build),
        ("measurement", measurement.build),
        ("planning", planning.build),
    ]


def build_demo(
    *, seed: int = 42, size: Size = "small", report: Callable[[str], None] = print
) -> DemoContext:
    """Build the whole demo organisation into the (empty) database."""
    from django.db import transaction

    ctx = DemoContext(seed=seed, size=size, rng=np.random.default_rng(seed), report=report)
    from servicegate.measurement.jobs import triggers_paused

    # The measurement step computes every clock once at the end; promise and calendar
    # changes while the demo is built start no recompute jobs.
    with triggers_paused():
        for name, step in steps():
            report(f"demo: {name} …")
            with transaction.atomic():
                step(ctx)
    return ctx
