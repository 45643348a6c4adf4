"""An installed base, technicians and tickets for the operations tests.

Personas come from ``servicegate/conftest.py``: bob the service manager, carol the
technician, victor the viewer, alice from sales; dana the dispatcher is added here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import Segment
from servicegate.operations.models import Asset, Customer, Site, Ticket, TicketEvent
from servicegate.team.models import Technician

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def customer(db: None) -> Customer:
    segment = Segment.objects.create(name="Automotive")
    return Customer.objects.create(number="K-1", name="Keller Automotive GmbH", segment=segment)


@pytest.fixture
def site(customer: Customer) -> Site:
    return Site.objects.create(customer=customer, name="Hauptwerk", city="München")


@pytest.fixture
def asset(site: Site) -> Asset:
    return Asset.objects.create(site=site, product_model="PX-200", serial_number="PX2-1")


@pytest.fixture
def calendar(db: None) -> BusinessCalendar:
    return BusinessCalendar.objects.create(name="24x7", definition={})


@pytest.fixture
def carols_technician(carol: User, calendar: BusinessCalendar) -> Technician:
    return Technician.objects.create(
        user=carol, name="Carol Tech", home_base="München", calendar=calendar
    )


@pytest.fixture
def other_technician(calendar: BusinessCalendar) -> Technician:
    return Technician.objects.create(name="Otto Other", home_base="Köln", calendar=calendar)


@pytest.fixture
def make_ticket(customer: Customer, asset: Asset) -> Callable[..., Ticket]:
    """``make_ticket("T-1", technician=…)``: a ticket with a new → assigned history."""

    def make(number: str, technician: Technician | None = None, **fields: object) -> Ticket:
        values: dict[str, object] = {"status": "assigned", "priority": "P2", **fields}
        ticket = Ticket.objects.create(
            external_id=number,
            number=number,
            customer=customer,
            asset=asset,
            technician=technician,
            opened_at=T0,
            **values,
        )
        TicketEvent.objects.bulk_create(
            [
                TicketEvent(ticket=ticket, seq=1, at=T0, status="new"),
                TicketEvent(
                    ticket=ticket,
                    seq=2,
                    at=T0 + timedelta(minutes=30),
                    status="assigned",
                    technician=technician,
                ),
            ]
        )
        return ticket

    return make


@pytest.fixture
def two_tickets(
    make_ticket: Callable[..., Ticket],
    carols_technician: Technician,
    other_technician: Technician,
) -> tuple[Ticket, Ticket]:
    """One ticket assigned to carol, one to somebody else."""
    return make_ticket("T-CAROL", carols_technician), make_ticket("T-OTHER", other_technician)
