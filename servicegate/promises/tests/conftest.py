"""A small catalogue and extra users for the promises tests (personas: root conftest)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.accounts import roles
from servicegate.accounts.services import token_create
from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import make_user as root_make_user
from servicegate.promises import services
from servicegate.promises.models import Promise


@pytest.fixture
def make_user(db: None) -> Callable[[str, str], User]:
    """``make_user(username, role)``: one more user (the personas come from the root)."""
    return root_make_user


@pytest.fixture
def anna(db: None) -> User:
    """Anna, a second sales rep."""
    return root_make_user("anna", roles.SALES)


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
