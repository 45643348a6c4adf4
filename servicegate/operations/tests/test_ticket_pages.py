"""Working tickets in the UI: new ticket form, assign, status with note, queue, my work."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.operations.models import Customer, Ticket
from servicegate.team.models import Technician

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dispatcher_opens_a_ticket_with_the_form(
    dana: User, customer: Customer, carols_technician: Technician
) -> None:
    response = _client(dana).post(
        "/operations/tickets/new/",
        {
            "title": "Conveyor belt torn",
            "customer": customer.pk,
            "priority": "P1",
            "kind": "incident",
            "channel": "on_site",
            "technician": carols_technician.pk,
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/operations/tickets/{ticket.pk}/"
    assert ticket.status == "assigned" and ticket.technician == carols_technician


def test_technician_records_a_status_with_a_note(
    two_tickets: tuple[Ticket, Ticket], carol: User
) -> None:
    mine, other = two_tickets
    client = _client(carol)
    page = client.get(f"/operations/tickets/{mine.pk}/")
    assert b"Record a status" in page.content and b"Save assignment" not in page.content
    client.post(
        f"/operations/tickets/{mine.pk}/status/", {"status": "in_progress", "note": "On my way"}
    )
    mine.refresh_from_db()
    assert mine.status == "in_progress"
    assert b"On my way" in client.get(f"/operations/tickets/{mine.pk}/").content
    assert (
        client.post(f"/operations/tickets/{other.pk}/status/", {"status": "closed"}).status_code
        == 404
    )


def test_dispatcher_assigns_from_the_ticket_page(
    two_tickets: tuple[Ticket, Ticket], dana: User, carols_technician: Technician
) -> None:
    _mine, other = two_tickets
    _client(dana).post(
        f"/operations/tickets/{other.pk}/assign/",
        {"technician": carols_technician.pk, "priority": "P1", "note": "Carol is closer"},
    )
    other.refresh_from_db()
    assert other.technician == carols_technician and other.priority == "P1"


def test_queue_lists_unassigned_first_and_my_work_own_tickets(
    two_tickets: tuple[Ticket, Ticket], make_ticket: object, dana: User, carol: User
) -> None:
    unassigned = make_ticket("T-NOBODY", None, status="new")  # type: ignore[operator]
    queue = _client(dana).get("/operations/queue/")
    assert queue.status_code == 200
    content = queue.content.decode()
    assert content.index(unassigned.number) < content.index("T-CAROL")
    mine = _client(carol).get("/operations/my-work/").content
    assert b"T-CAROL" in mine and b"T-OTHER" not in mine and b"T-NOBODY" not in mine
    assert _client(carol).get("/operations/queue/").status_code == 403


def test_viewer_gets_no_forms_and_may_not_post(
    two_tickets: tuple[Ticket, Ticket], victor: User
) -> None:
    mine, _other = two_tickets
    page = _client(victor).get(f"/operations/tickets/{mine.pk}/")
    assert b"Record a status" not in page.content
    assert (
        _client(victor)
        .post(f"/operations/tickets/{mine.pk}/status/", {"status": "closed"})
        .status_code
        == 403
    )
    assert _client(victor).get("/operations/tickets/new/").status_code == 403
