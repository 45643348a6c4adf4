"""A small organisation for the planning tests: a 24/7 calendar, one segment and
customer, a team of technicians, reactive tickets made to order, and a promise in
feasibility review with its open G1 review.

Personas (from ``servicegate/conftest.py``): alice sells, bob manages service,
carol is a technician, victor views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.accounts.services import token_create
from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.operations.models import Customer, Ticket, TicketEvent
from servicegate.promises import services
from servicegate.promises.models import GateDefinition, GateReview, Promise
from servicegate.team.models import Technician

ALWAYS = {
    "timezone": "Europe/Berlin",
    "week": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
}


@pytest.fixture
def calendar(db: None) -> BusinessCalendar:
    """Open around the clock, so business time is wall-clock time."""
    return BusinessCalendar.objects.create(name="24/7", timezone="Europe/Berlin", definition=ALWAYS)


@pytest.fixture
def team(calendar: BusinessCalendar) -> Callable[[int], list[Technician]]:
    """``team(n)`` creates n active technicians on the 24/7 calendar."""

    def make(n: int) -> list[Technician]:
        return [
            Technician.objects.create(name=f"Tech {i}", home_base="München", calendar=calendar)
            for i in range(n)
        ]

    return make


@pytest.fixture
def tickets(customer: Customer) -> Callable[..., int]:
    """``tickets(per_week, weeks=8, priority="P2", work_hours=1.0)`` spreads reactive
    tickets evenly over the last ``weeks`` weeks (ending yesterday), each answered
    after 10 minutes, in progress from then on and resolved ``work_hours`` later (with
    the events that say so)."""

    def make(per_week: int, weeks: int = 8, priority: str = "P2", work_hours: float = 1.0) -> int:
        end = timezone.now() - dt.timedelta(days=1)
        n = per_week * weeks
        offsets = np.linspace(0, weeks * 7 * 86400, n, endpoint=False)
        start = end - dt.timedelta(weeks=weeks)
        base = Ticket.objects.count()
        rows = []
        for i, off in enumerate(offsets):
            opened = start + dt.timedelta(seconds=float(off))
            responded = opened + dt.timedelta(minutes=10)
            rows.append(
                Ticket(
                    external_id=f"T{base + i}",
                    number=f"T{base + i}",
                    kind="incident",
                    priority=priority,
                    customer=customer,
                    opened_at=opened,
                    responded_at=responded,
                    resolved_at=responded + dt.timedelta(hours=work_hours),
                    status="resolved",
                )
            )
        made = Ticket.objects.bulk_create(rows)
        events = []
        for t in made:
            assert t.responded_at is not None and t.resolved_at is not None
            steps = [
                (t.opened_at, "new"),
                (t.responded_at, "in_progress"),
                (t.resolved_at, "resolved"),
            ]
            events += [
                TicketEvent(ticket=t, seq=seq, at=at, status=status)
                for seq, (at, status) in enumerate(steps, start=1)
            ]
        TicketEvent.objects.bulk_create(events)
        return n

    return make


@pytest.fixture
def promise(alice: User, product: ServiceProduct, calendar: BusinessCalendar) -> Promise:
    """Alice's "90 % of P2 first responses within 4 hours", submitted to Gate 1."""
    draft = services.promise_create(
        by=alice,
        metric="first_response",
        target_value=Decimal("4"),
        target_unit="hours",
        attainment_percent=Decimal("90"),
        calendar=calendar,
        product=product,
        priority="P2",
        made_by_role="sales",
        source="offer",
        source_reference="A-2026-001",
    )
    return services.promise_transition(promise=draft, to="feasibility_review", by=alice)


@pytest.fixture
def g1_review(promise: Promise, bob: User) -> GateReview:
    """Bob's open G1 review of the promise."""
    return services.gate_review_open(
        gate=GateDefinition.objects.get(code="G1"), promise=promise, by=bob
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: User) -> Client:
    _token, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})
