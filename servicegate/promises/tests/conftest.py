"""Personas and a small catalogue shared by the promises tests."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from servicegate.accounts import roles
from servicegate.accounts.services import sync_roles, token_create
from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.promises import services
from servicegate.promises.models import Promise


@pytest.fixture
def make_user(db: None) -> Callable[[str, str], User]:
    if not Group.objects.filter(name=roles.SALES).exists():
        sync_roles()

    def make(username: str, role: str) -> User:
        user = User.objects.create_user(username=username, password="pw", first_name=username)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def alice(make_user: Callable[[str, str], User]) -> User:
    """Alice, the sales rep: proposes promises."""
    return make_user("alice", roles.SALES)


@pytest.fixture
def anna(make_user: Callable[[str, str], User]) -> User:
    """Anna, a second sales rep."""
    return make_user("anna", roles.SALES)


@pytest.fixture
def bob(make_user: Callable[[str, str], User]) -> User:
    """Bob, the service manager: decides G1 and G3."""
    return make_user("bob", roles.SERVICE_MANAGER)


@pytest.fixture
def quinn(make_user: Callable[[str, str], User]) -> User:
    """Quinn, the quality manager: defines gates and runs G4 reviews."""
    return make_user("quinn", roles.QUALITY_MANAGER)


@pytest.fixture
def carol(make_user: Callable[[str, str], User]) -> User:
    """Carol, the technician."""
    return make_user("carol", roles.TECHNICIAN)


@pytest.fixture
def vera(make_user: Callable[[str, str], User]) -> User:
    """Vera, the viewer: reads only."""
    return make_user("vera", roles.VIEWER)


@pytest.fixture
def calendar(db: None) -> BusinessCalendar:
    return BusinessCalendar.objects.create(name="Service hours", definition={})


@pytest.fixture
def promise_data(product: ServiceProduct, calendar: BusinessCalendar) -> dict[str, Any]:
    """Valid fields of "95 % of P2 first responses within 4 business hours"."""
    return {
        "metric": "first_response",
        "target_value": Decimal("4"),
        "target_unit": "business_hours",
        "attainment_percent": Decimal("95"),
        "calendar": calendar,
        "product": product,
        "priority": "P2",
        "made_by_role": "sales",
        "source": "offer",
        "source_reference": "A-2026-001",
    }


@pytest.fixture
def draft(alice: User, promise_data: dict[str, Any]) -> Promise:
    """A draft promise made by Alice."""
    return services.promise_create(by=alice, **promise_data)


@pytest.fixture
def move(alice: User, bob: User, quinn: User) -> Callable[[Promise, str], Promise]:
    """Move a promise along the lifecycle with the persona who may take each step."""
    who = {
        "feasibility_review": alice,
        "approved": bob,
        "rejected": bob,
        "draft": alice,
        "committed": alice,
        "in_service": bob,
        "under_review": quinn,
        "retired": quinn,
    }

    def step(promise: Promise, *states: str) -> Promise:
        for to in states:
            extra = {"counter_proposal": "8 business hours"} if to == "rejected" else {}
            promise = services.promise_transition(promise=promise, to=to, by=who[to], **extra)
        return promise

    return step


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: User) -> Client:
    _token, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})
