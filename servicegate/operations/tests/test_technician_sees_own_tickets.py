"""Technicians see only the tickets assigned to them; dispatchers and viewers see all."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.operations.models import Ticket
from servicegate.operations.selectors import tickets_visible_to

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_selector_limits_technicians(
    two_tickets: tuple[Ticket, Ticket], carol: User, dana: User, victor: User
) -> None:
    mine, _other = two_tickets
    assert list(tickets_visible_to(carol)) == [mine]
    assert tickets_visible_to(dana).count() == 2
    assert tickets_visible_to(victor).count() == 2


def test_technician_without_technician_record_sees_nothing(
    two_tickets: tuple[Ticket, Ticket], persona: object
) -> None:
    from servicegate.conftest import make_user

    tom = make_user("tom", "technician")
    assert not tickets_visible_to(tom).exists()


def test_ticket_list_page_shows_only_own_tickets(
    two_tickets: tuple[Ticket, Ticket], carol: User
) -> None:
    response = _client(carol).get("/operations/tickets/")
    assert response.status_code == 200
    assert b"T-CAROL" in response.content and b"T-OTHER" not in response.content


def test_other_tickets_detail_is_not_found_for_technician(
    two_tickets: tuple[Ticket, Ticket], carol: User
) -> None:
    mine, other = two_tickets
    client = _client(carol)
    assert client.get(f"/operations/tickets/{mine.pk}/").status_code == 200
    assert client.get(f"/operations/tickets/{other.pk}/").status_code == 404


def test_api_limits_technicians(two_tickets: tuple[Ticket, Ticket], carol: User) -> None:
    mine, other = two_tickets
    client = _client(carol)
    listed = client.get("/api/v1/tickets/").json()
    assert [t["number"] for t in listed["items"]] == ["T-CAROL"]
    assert client.get(f"/api/v1/tickets/{other.pk}").status_code == 404
    detail = client.get(f"/api/v1/tickets/{mine.pk}").json()
    assert [e["status"] for e in detail["events"]] == ["new", "assigned"]


def test_dispatcher_sees_every_ticket(two_tickets: tuple[Ticket, Ticket], dana: User) -> None:
    response = _client(dana).get("/operations/tickets/")
    assert b"T-CAROL" in response.content and b"T-OTHER" in response.content
