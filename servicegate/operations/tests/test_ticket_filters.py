"""The ticket list filters by kind, status, priority, channel, customer and source."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.operations.models import Customer, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(bob: User) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def numbers(client: Client) -> Callable[[str], list[str]]:
    """``numbers("kind=maintenance")``: the numbers the ticket API lists for a query."""

    def listed(query: str) -> list[str]:
        items = client.get(f"/api/v1/tickets/?{query}").json()["items"]
        return sorted(t["number"] for t in items)

    return listed


def test_filters(
    make_ticket: Callable[..., Ticket],
    customer: Customer,
    client: Client,
    numbers: Callable[[str], list[str]],
) -> None:
    make_ticket("INC-1", kind="incident", channel="remote")
    make_ticket("MNT-1", kind="maintenance", channel="on_site", priority="P4")
    make_ticket("EXT-1", source="servicenow")

    assert numbers("kind=maintenance") == ["MNT-1"]
    assert numbers("channel=on_site") == ["MNT-1"]
    assert numbers("priority=P2") == ["EXT-1", "INC-1"]
    assert numbers("source=servicenow") == ["EXT-1"]
    assert numbers(f"customer={customer.pk}") == ["EXT-1", "INC-1", "MNT-1"]
    assert numbers("status=closed") == []
    page = client.get("/operations/tickets/?kind=maintenance").content.decode()
    assert "MNT-1" in page and "INC-1" not in page


def test_number_finds_a_ticket_or_every_ticket_it_begins(
    make_ticket: Callable[..., Ticket], client: Client, numbers: Callable[[str], list[str]]
) -> None:
    for number in ("INC0000045", "INC0000046", "INC0000450", "MNT-1"):
        make_ticket(number)

    assert numbers("number=INC0000045") == ["INC0000045"]
    assert numbers("number=INC000004") == ["INC0000045", "INC0000046"]
    assert numbers("number=inc0000") == ["INC0000045", "INC0000046", "INC0000450"]
    assert numbers("number=%20MNT-1%20") == ["MNT-1"]
    assert numbers("number=X") == []
    # the page keeps the search in its form and in the links to further pages
    page = client.get("/operations/tickets/?number=INC+0&status=new").content.decode()
    assert 'name="number" value="INC 0"' in page


def test_a_number_search_uses_the_number_index(bob: User) -> None:
    from django.db import connection

    from servicegate.operations import selectors

    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    sql, params = selectors.ticket_list(bob, {"number": "INC00"}).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "ticket_number_idx" in plan
