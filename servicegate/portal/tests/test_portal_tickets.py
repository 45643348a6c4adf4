"""Raising and following tickets in the portal: clocks at once, the customer's own only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from servicegate.measurement.models import Clock
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.portal.models import TicketAttachment, TicketComment
from servicegate.promises.models import Promise

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, data: dict[str, object]) -> object:
    return client.post(url, data, content_type="application/json")


def test_a_ticket_raised_in_the_portal_gets_its_clocks_at_once(
    kim: User, asset: Asset, promise: Promise, bearer_of: Callable[[User], Client]
) -> None:
    # when: kim raises a "severely impaired" problem on her machine
    response = bearer_of(kim).post(
        "/api/v1/portal/tickets",
        {
            "asset": asset.pk,
            "title": "Spindle stops",
            "description": "Since 9:00",
            "priority": "high",
        },
        content_type="application/json",
    )
    # then: a P2 incident of her customer, unassigned, with the P2 promise's clock running
    assert response.status_code == 201, response.content
    body = response.json()
    ticket = Ticket.objects.get(pk=body["id"])
    assert (ticket.customer, ticket.priority, ticket.status) == (asset.site.customer, "P2", "new")
    assert ticket.technician_id is None  # in the dispatcher's queue
    assert Clock.objects.filter(ticket=ticket, promise=promise).exists()
    assert [c["state"] for c in body["clocks"]] == ["running"]
    assert body["clocks"][0]["seconds_left"] > 3 * 3600
    assert body["comments"][0]["body"] == "Since 9:00"
    assert ticket.changes.get().note == "Since 9:00"  # what the dispatcher reads
    assert body["feedback_given"] is False


@pytest.mark.parametrize(
    ("data", "status", "sentence"),
    [
        ({"title": "x", "priority": "urgent"}, 422, "is no priority"),
        ({"title": "  ", "priority": "high"}, 422, "title is empty"),
        ({"title": "x", "priority": "high", "asset": 999999}, 404, "no asset 999999"),
    ],
)
def test_bad_tickets_are_refused_with_a_sentence(
    kim: User,
    bearer_of: Callable[[User], Client],
    data: dict[str, object],
    status: int,
    sentence: str,
) -> None:
    response = bearer_of(kim).post("/api/v1/portal/tickets", data, content_type="application/json")
    assert response.status_code == status
    assert sentence in response.json()["detail"]
    assert Ticket.objects.count() == 0


def test_another_customers_asset_and_ticket_are_not_found(
    kim: User,
    other_asset: Asset,
    foreign_ticket: Ticket,
    bearer_of: Callable[[User], Client],
    session_of: Callable[[User], Client],
) -> None:
    client = bearer_of(kim)
    raised = client.post(
        "/api/v1/portal/tickets",
        {"title": "x", "priority": "low", "asset": other_asset.pk},
        content_type="application/json",
    )
    assert raised.status_code == 404
    assert client.get(f"/api/v1/portal/tickets/{foreign_ticket.pk}").status_code == 404
    comment = client.post(
        f"/api/v1/portal/tickets/{foreign_ticket.pk}/comments",
        {"body": "hello"},
        content_type="application/json",
    )
    assert comment.status_code == 404
    assert session_of(kim).get(f"/portal/tickets/{foreign_ticket.pk}/").status_code == 404
    assert Ticket.objects.count() == 1 and TicketComment.objects.count() == 0
    assert [t["id"] for t in client.get("/api/v1/portal/tickets").json()["items"]] == []


def test_lists_show_the_customers_own_tickets_and_assets(
    kim: User,
    open_ticket: Ticket,
    foreign_ticket: Ticket,
    asset: Asset,
    bearer_of: Callable[[User], Client],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    client = bearer_of(kim)
    with django_assert_max_num_queries(12):  # type: ignore[attr-defined]
        tickets = client.get("/api/v1/portal/tickets").json()
    assert [t["id"] for t in tickets["items"]] == [open_ticket.pk]
    assets = client.get("/api/v1/portal/assets").json()
    assert [a["id"] for a in assets["items"]] == [asset.pk]


def test_comments_on_own_tickets(
    kim: User, open_ticket: Ticket, bearer_of: Callable[[User], Client]
) -> None:
    client = bearer_of(kim)
    url = f"/api/v1/portal/tickets/{open_ticket.pk}/comments"
    assert (
        client.post(url, {"body": "Still down"}, content_type="application/json").status_code == 201
    )
    empty = client.post(url, {"body": " "}, content_type="application/json")
    assert empty.status_code == 422 and "comment is empty" in empty.json()["detail"]
    detail = client.get(f"/api/v1/portal/tickets/{open_ticket.pk}").json()
    assert [c["body"] for c in detail["comments"]] == ["Still down"]


def test_raising_a_ticket_on_the_page_with_an_attachment(
    kim: User, asset: Asset, promise: Promise, session_of: Callable[[User], Client]
) -> None:
    client = session_of(kim)
    upload = SimpleUploadedFile("fault.log", b"E42 spindle", content_type="text/plain")
    data = {"title": "Fault E42", "asset": asset.pk, "priority": "critical", "attachment": upload}
    response = client.post("/portal/tickets/new/", data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.priority == "P1" and response["Location"] == f"/portal/tickets/{ticket.pk}/"
    attached = TicketAttachment.objects.get()
    page = client.get(response["Location"])
    assert "fault.log" in page.content.decode()
    download = client.get(f"/portal/tickets/{ticket.pk}/attachments/{attached.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"E42 spindle"  # type: ignore[attr-defined]


@override_settings(SERVICEGATE_PORTAL_MAX_ATTACHMENT_BYTES=10)
@pytest.mark.parametrize(
    ("name", "content", "sentence"),
    [
        ("tool.exe", b"MZ", "Files of type .exe cannot be attached"),
        ("big.pdf", b"%PDF-" + b"x" * 20, "larger than"),
    ],
)
def test_attachments_of_forbidden_type_or_size_are_refused(
    kim: User,
    asset: Asset,
    session_of: Callable[[User], Client],
    name: str,
    content: bytes,
    sentence: str,
) -> None:
    upload = SimpleUploadedFile(name, content)
    data = {"title": "x", "asset": asset.pk, "priority": "low", "attachment": upload}
    response = session_of(kim).post("/portal/tickets/new/", data)
    assert response.status_code == 422
    assert sentence in response.content.decode()
    assert Ticket.objects.count() == 0 and TicketAttachment.objects.count() == 0


def test_pages_in_german_and_english(
    kim: User, open_ticket: Ticket, session_of: Callable[[User], Client], customer: Customer
) -> None:
    client = session_of(kim)
    english = client.get(f"/portal/tickets/{open_ticket.pk}/").content.decode()
    assert "Our promises on this ticket" in english and "left" in english
    client.post("/accounts/language/", {"language": "de", "next": "/portal/"})
    german = client.get(f"/portal/tickets/{open_ticket.pk}/").content.decode()
    assert "Unsere Serviceversprechen zu diesem Ticket" in german and "noch" in german
    for url in ("/portal/", "/portal/tickets/", "/portal/visits/", "/portal/offers/"):
        page = client.get(url)
        assert page.status_code == 200 and customer.name in page.content.decode()
