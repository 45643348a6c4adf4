"""List pages and API lists use a fixed number of queries, however many rows they show."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.operations.models import Asset, Site, Ticket
from servicegate.team.models import Technician

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(make_ticket: Callable[..., Ticket], carols_technician: Technician, site: Site) -> None:
    for i in range(60):
        make_ticket(f"T-{i:03d}", carols_technician)
    Asset.objects.bulk_create(
        Asset(site=site, product_model="PX-400", serial_number=f"S{i}") for i in range(40)
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/operations/",
        "/operations/tickets/",
        "/operations/tickets/?status=assigned&priority=P2&page=2",
        "/operations/customers/",
    ],
)
def test_pages(many: None, bob: User, url: str, django_assert_max_num_queries: object) -> None:
    client = _client(bob)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_ticket_detail(many: None, bob: User, django_assert_max_num_queries: object) -> None:
    ticket = Ticket.objects.first()
    assert ticket is not None
    client = _client(bob)
    # 10 to show the ticket; the assign form's technicians and the changes and notes
    # 12, and 1 for the sections other areas add (the customer portal's dialogue)
    with django_assert_max_num_queries(13):  # type: ignore[operator]
        assert client.get(f"/operations/tickets/{ticket.pk}/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/tickets/?page_size=50", "/api/v1/assets/", "/api/v1/customers/"]
)
def test_api_lists(many: None, bob: User, url: str, django_assert_max_num_queries: object) -> None:
    client = _client(bob)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(url)
    assert response.status_code == 200
