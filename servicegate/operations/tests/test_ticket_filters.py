"""The ticket list filters by kind, status, priority, channel, customer and source."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.operations.models import Customer, Ticket

pytestmark = pytest.mark.django_db


def test_filters(make_ticket: Callable[..., Ticket], customer: Customer, bob: User) -> None:
    make_ticket("INC-1", kind="incident", channel="remote")
    make_ticket("MNT-1", kind="maintenance", channel="on_site", priority="P4")
    make_ticket("EXT-1", source="servicenow")
    client = Client()
    client.force_login(bob)

    def numbers(query: str) -> list[str]:
        items = client.get(f"/api/v1/tickets/?{query}").json()["items"]
        return sorted(t["number"] for t in items)

    assert numbers("kind=maintenance") == ["MNT-1"]
    assert numbers("channel=on_site") == ["MNT-1"]
    assert numbers("priority=P2") == ["EXT-1", "INC-1"]
    assert numbers("source=servicenow") == ["EXT-1"]
    assert numbers(f"customer={customer.pk}") == ["EXT-1", "INC-1", "MNT-1"]
    assert numbers("status=closed") == []
    page = client.get("/operations/tickets/?kind=maintenance").content.decode()
    assert "MNT-1" in page and "INC-1" not in page
