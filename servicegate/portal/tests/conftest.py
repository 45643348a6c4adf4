"""Two customers with sites, assets and tickets, a promise covering both, and kim.

kim is a contact of the root conftest's ``customer`` (Weber Automotive); Otto Maschinenbau
is the other customer whose ids kim reaches for. Staff personas come from
``servicegate/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.accounts import roles
from servicegate.accounts.services import token_create
from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.conftest import make_user
from servicegate.engines.calendars import calendar_to_dict, twenty_four_seven
from servicegate.operations.models import Asset, Customer, Site, Ticket
from servicegate.operations.ticket_services import ticket_create, ticket_event_append
from servicegate.portal.models import CustomerContact
from servicegate.promises.models import Promise


@pytest.fixture
def always(db: None) -> BusinessCalendar:
    return BusinessCalendar.objects.create(
        name="24x7 test", timezone="UTC", definition=calendar_to_dict(twenty_four_seven("UTC"))
    )


@pytest.fixture
def promise(product: ServiceProduct, always: BusinessCalendar, alice: User) -> Promise:
    """95 % of P2 incidents resolved within 4 hours, for the whole Automotive segment."""
    return Promise.objects.create(
        metric="resolution",
        target_value=Decimal(4),
        target_unit="hours",
        attainment_percent=Decimal(95),
        priority="P2",
        calendar=always,
        product=product,
        segment=product.segment,
        made_by=alice,
        made_by_role="sales",
        source="brochure",
        valid_from=date(2020, 1, 1),
        state="in_service",
        clock_start_statuses=[],
    )


@pytest.fixture
def site(customer: Customer) -> Site:
    return Site.objects.create(customer=customer, name="Werk Süd", city="Ingolstadt")


@pytest.fixture
def asset(site: Site) -> Asset:
    return Asset.objects.create(site=site, product_model="PX-200", serial_number="PX2-1")


@pytest.fixture
def other_customer(segment: Segment) -> Customer:
    return Customer.objects.create(number="K-2", name="Otto Maschinenbau AG", segment=segment)


@pytest.fixture
def other_asset(other_customer: Customer) -> Asset:
    site = Site.objects.create(customer=other_customer, name="Werk Nord", city="Hamburg")
    return Asset.objects.create(site=site, product_model="PX-200", serial_number="PX2-9")


@pytest.fixture
def kim(customer: Customer) -> User:
    """A customer contact of Weber Automotive."""
    user = make_user("kim", roles.CUSTOMER)
    CustomerContact.objects.create(user=user, customer=customer)
    return user


@pytest.fixture
def open_ticket(bob: User, customer: Customer, asset: Asset, promise: Promise) -> Ticket:
    """A P2 incident of Weber, opened an hour ago (its clock runs)."""
    return ticket_create(
        by=bob,
        title="Spindle vibrates",
        customer_id=customer.pk,
        asset_id=asset.pk,
        priority="P2",
        opened_at=timezone.now() - timedelta(hours=1),
    )


@pytest.fixture
def resolved_ticket(bob: User, customer: Customer, asset: Asset, promise: Promise) -> Ticket:
    """A P2 incident of Weber, resolved after two hours."""
    ticket = ticket_create(
        by=bob,
        title="Coolant pump leaks",
        customer_id=customer.pk,
        asset_id=asset.pk,
        priority="P2",
        opened_at=timezone.now() - timedelta(hours=3),
    )
    ticket_event_append(
        ticket=ticket, by=bob, status="resolved", at=timezone.now() - timedelta(hours=1)
    )
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def foreign_ticket(bob: User, other_customer: Customer, other_asset: Asset) -> Ticket:
    """A resolved ticket of the other customer."""
    ticket = ticket_create(
        by=bob,
        title="Foreign",
        customer_id=other_customer.pk,
        asset_id=other_asset.pk,
        priority="P2",
        opened_at=timezone.now() - timedelta(hours=3),
    )
    ticket_event_append(ticket=ticket, by=bob, status="resolved")
    return ticket


@pytest.fixture
def session_of() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def bearer_of() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_create(user=user)[1]}"})

    return make
