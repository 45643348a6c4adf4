"""Portal pages and lists read in a fixed number of queries, however many tickets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.operations.ticket_services import ticket_create, ticket_event_append
from servicegate.promises.models import Promise

pytestmark = pytest.mark.django_db
URLS = ("/portal/", "/portal/tickets/", "/api/v1/portal/tickets", "/api/v1/portal/promises")


def _tickets(bob: User, customer: Customer, asset: Asset, n: int) -> list[Ticket]:
    made = []
    for i in range(n):
        ticket = ticket_create(
            by=bob, title=f"T{i}", customer_id=customer.pk, asset_id=asset.pk, priority="P2"
        )
        ticket_event_append(ticket=ticket, by=bob, status="resolved")
        made.append(ticket)
    return made


def _counts(client: Client, urls: tuple[str, ...]) -> dict[str, int]:
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


def test_portal_reads_do_not_grow_with_the_tickets(
    kim: User,
    bob: User,
    customer: Customer,
    asset: Asset,
    promise: Promise,
    session_of: Callable[[User], Client],
) -> None:
    client = session_of(kim)
    first = _tickets(bob, customer, asset, 2)
    few = _counts(client, (*URLS, f"/portal/tickets/{first[0].pk}/"))
    _tickets(bob, customer, asset, 8)
    many = _counts(client, (*URLS, f"/portal/tickets/{first[0].pk}/"))
    assert many == few
    assert max(many.values()) <= 12, many
