"""Working tickets through the API: who may write, and bad input refused whole.

Dispatchers and service managers create and change any ticket; a technician records
statuses on the tickets assigned to them; sales and viewers read only (403).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.operations.models import Asset, Customer, Ticket, TicketChange, TicketEvent
from servicegate.operations.tests.conftest import T0

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(user: User, url: str, data: dict[str, Any]) -> Any:
    return _client(user).post(url, data, content_type="application/json")


def _new(customer: Customer, **extra: Any) -> dict[str, Any]:
    return {"title": "Hydraulic leak", "priority": "P2", "customer": customer.pk, **extra}


@pytest.mark.parametrize(
    ("name", "status"),
    [("bob", 201), ("dana", 201), ("carol", 403), ("alice", 403), ("victor", 403)],
)
def test_who_may_create_a_ticket(
    request: pytest.FixtureRequest, customer: Customer, name: str, status: int
) -> None:
    user = request.getfixturevalue(name)
    response = _post(user, "/api/v1/tickets/", _new(customer, kind="preventive"))
    assert response.status_code == status, response.content
    assert Ticket.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        body = response.json()
        assert body["number"].startswith("SG-") and body["kind"] == "maintenance"
        assert TicketChange.objects.filter(ticket_id=body["id"], by=user).exists()
    else:
        assert "dispatcher" in response.json()["detail"]


def test_technician_records_status_on_own_ticket_only(
    two_tickets: tuple[Ticket, Ticket], carol: User
) -> None:
    mine, other = two_tickets
    ok = _post(carol, f"/api/v1/tickets/{mine.pk}/events", {"status": "in_progress"})
    assert ok.status_code == 201
    assert Ticket.objects.get(pk=mine.pk).status == "in_progress"
    hidden = _post(carol, f"/api/v1/tickets/{other.pk}/events", {"status": "in_progress"})
    assert hidden.status_code == 404
    patch = _client(carol).patch(
        f"/api/v1/tickets/{mine.pk}", {"priority": "P1"}, content_type="application/json"
    )
    assert patch.status_code == 403


def test_viewer_and_sales_cannot_record_a_status(
    two_tickets: tuple[Ticket, Ticket], victor: User, alice: User
) -> None:
    mine, _other = two_tickets
    for user in (victor, alice):
        response = _post(user, f"/api/v1/tickets/{mine.pk}/events", {"status": "closed"})
        assert response.status_code == 403
    assert TicketEvent.objects.filter(ticket=mine).count() == 2


def test_dispatcher_assigns_a_technician(
    two_tickets: tuple[Ticket, Ticket], dana: User, carols_technician: Any
) -> None:
    _mine, other = two_tickets
    response = _client(dana).patch(
        f"/api/v1/tickets/{other.pk}",
        {"technician": carols_technician.pk, "group": "Hydraulics"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    other.refresh_from_db()
    assert other.technician_id == carols_technician.pk
    assert other.assignment_group == "Hydraulics" and other.reassignment_count == 1
    last = other.events.order_by("-seq").first()
    assert last is not None and last.technician_id == carols_technician.pk


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"customer": 999_999}, 422, "no customer"),
        ({"asset": 999_999}, 422, "no asset"),
        ({"priority": "P9"}, 422, "priority"),
        ({"kind": "party"}, 422, "ticket kind"),
        ({"title": " "}, 422, "title"),
        ({"opened_at": "2099-01-01T00:00:00Z"}, 422, "future"),
    ],
)
def test_bad_ticket_input_is_refused(
    bob: User, customer: Customer, body: dict[str, Any], status: int, words: str
) -> None:
    response = _post(bob, "/api/v1/tickets/", {**_new(customer), **body})
    assert response.status_code == status
    assert words in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_asset_of_another_customer_is_refused(bob: User, customer: Customer, asset: Asset) -> None:
    other = Customer.objects.create(number="K-2", name="Other", segment=customer.segment)
    response = _post(bob, "/api/v1/tickets/", _new(other, asset=asset.pk))
    assert response.status_code == 422 and "another customer" in response.json()["detail"]


def test_event_times_are_checked(two_tickets: tuple[Ticket, Ticket], dana: User) -> None:
    mine, _other = two_tickets
    url = f"/api/v1/tickets/{mine.pk}/events"
    before_open = _post(
        dana, url, {"status": "in_progress", "at": (T0 - timedelta(hours=1)).isoformat()}
    )
    assert before_open.status_code == 422 and "opened" in before_open.json()["detail"]
    unknown = _post(dana, url, {"status": "on_holiday"})
    assert unknown.status_code == 422 and "ticket status" in unknown.json()["detail"]
    assert _post(dana, url, {"status": "in_progress"}).status_code == 201
    earlier = (timezone.now() - timedelta(hours=1)).isoformat()
    out_of_order = _post(dana, url, {"status": "resolved", "at": earlier})
    assert out_of_order.status_code == 409 and "time order" in out_of_order.json()["detail"]
    assert TicketEvent.objects.filter(ticket=mine).count() == 3


def test_duplicate_external_id_conflicts(bob: User, customer: Customer) -> None:
    body = _new(customer, source="jira", external_id="SUP-1")
    assert _post(bob, "/api/v1/tickets/", body).status_code == 201
    again = _post(bob, "/api/v1/tickets/", body)
    assert again.status_code == 409
    assert Ticket.objects.count() == 1
