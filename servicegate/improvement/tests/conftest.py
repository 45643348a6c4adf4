"""A small world for the KVP tests: an in-service promise, its daily clock summary and
reactive tickets. Personas (bob, quinn, carol, victor, …) come from the root conftest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.engines.calendars import calendar_to_dict, twenty_four_seven
from servicegate.measurement.models import ClockSummary
from servicegate.operations.models import Customer, Ticket
from servicegate.promises.models import Promise

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def always(db: None) -> BusinessCalendar:
    return BusinessCalendar.objects.create(
        name="24x7 test", timezone="UTC", definition=calendar_to_dict(twenty_four_seven("UTC"))
    )


@pytest.fixture
def make_promise(
    product: ServiceProduct, always: BusinessCalendar, alice: User
) -> Callable[..., Promise]:
    """``make_promise(**fields)``: an in-service promise made by alice."""

    def make(**fields: Any) -> Promise:
        values: dict[str, Any] = {
            "metric": "resolution",
            "target_value": Decimal(4),
            "target_unit": "hours",
            "attainment_percent": Decimal(90),
            "calendar": always,
            "product": product,
            "segment": product.segment,
            "made_by": alice,
            "made_by_role": "sales",
            "source": "brochure",
            "valid_from": date(2026, 1, 1),
            "state": "in_service",
            **fields,
        }
        return Promise.objects.create(**values)

    return make


@pytest.fixture
def promise(make_promise: Callable[..., Promise]) -> Promise:
    return make_promise(title="P2 resolution in 4 h")


Summarise = Callable[..., None]


@pytest.fixture
def summarise(db: None) -> Summarise:
    """``summarise(promise, day, n, met, cause="queue")``: decided clocks of one day."""

    def add(promise: Promise, day: date, n: int, met: int, cause: str = "") -> None:
        ClockSummary.objects.create(promise=promise, day=day, n=n, met=met, cause=cause)

    return add


@pytest.fixture
def resolved_ticket(customer: Customer) -> Callable[..., Ticket]:
    """``resolved_ticket(opened, hours, reopened=0)``: a resolved incident."""
    counter = {"n": 0}

    def make(opened: datetime, hours: float, reopened: int = 0) -> Ticket:
        counter["n"] += 1
        number = f"INC-{counter['n']}"
        return Ticket.objects.create(
            external_id=number,
            number=number,
            kind="incident",
            priority="P2",
            customer=customer,
            opened_at=opened,
            resolved_at=opened + timedelta(hours=hours),
            status="resolved",
            reopen_count=reopened,
        )

    return make
