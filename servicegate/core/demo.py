"""The demo organisation: a plausible machine builder's service organisation.

``build_demo`` runs the steps named in ``settings.SERVICEGATE_DEMO_STEPS`` in order.
Every app owns its step in ``<app>/demo.py`` (calendars, catalogue, customers, users,
technicians, promises, tickets, clocks, feasibility); ``core`` knows none of them. A
step is a function ``(ctx: DemoContext) -> None``; later steps find what earlier ones
made in ``ctx.objects``. Every step draws its randomness from the context's
``numpy.random.Generator``, so a seed gives the same organisation every time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.module_loading import import_string

from servicegate.core.bulk import triggers_paused

Size = Literal["small", "large"]
DEMO_PASSWORD = "demo"
DEMO_EMAIL_DOMAIN = "demo.servicegate.invalid"


@dataclass
class DemoContext:
    """What every demo step gets: the seed's generator, the size and shared objects."""

    seed: int
    size: Size
    rng: np.random.Generator
    report: Callable[[str], None]
    objects: dict[str, Any] = field(default_factory=dict)


Step = tuple[str, Callable[[DemoContext], None]]


def step_name(path: str) -> str:
    """The name a step reports: its dotted path without ``servicegate.``, ``demo`` and ``build``.

    ``servicegate.promises.demo.build`` is ``promises``;
    ``servicegate.operations.demo.tickets.build`` is ``operations.tickets``.
    """
    parts = [p for p in path.split(".") if p not in {"servicegate", "demo", "build"}]
    return ".".join(parts)


def steps() -> list[Step]:
    """The demo steps in the order they run, as listed in ``SERVICEGATE_DEMO_STEPS``."""
    return [(step_name(path), import_string(path)) for path in settings.SERVICEGATE_DEMO_STEPS]


def build_demo(
    *, seed: int = 42, size: Size = "small", report: Callable[[str], None] = print
) -> DemoContext:
    """Build the whole demo organisation into the (empty) database."""
    ctx = DemoContext(seed=seed, size=size, rng=np.random.default_rng(seed), report=report)
    # The measurement step computes every clock once at the end; promise and calendar
    # changes while the demo is built start no recompute jobs.
    with triggers_paused():
        for name, step in steps():
            report(f"demo: {name} …")
            with transaction.atomic():
                step(ctx)
    return ctx


def database_contents() -> list[str]:
    """What the database holds already that a demo would mix with: tickets (imported or
    fed ones too), users, customer segments; empty when there is nothing. (The models
    are looked up by name: core imports no app.)"""
    held = [
        ("tickets", apps.get_model("operations", "Ticket").objects.exists()),
        ("users", User.objects.exists()),
        ("customer segments", apps.get_model("catalog", "Segment").objects.exists()),
    ]
    return [name for name, present in held if present]


def database_holds_data() -> bool:
    """Whether tickets, users or organisation data exist already."""
    return bool(database_contents())


def print_logins(write: Callable[[str], Any]) -> None:
    """Print the demo logins (the users with a demo address) and their roles."""
    write(f"Demo logins (password: {DEMO_PASSWORD}):")
    users = User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").order_by("pk")
    for user in users.prefetch_related("groups"):
        role = next((g.name for g in user.groups.all()), "")
        write(f"  {user.username:<11} {role}")
