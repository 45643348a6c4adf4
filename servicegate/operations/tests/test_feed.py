"""The feed stores batches of status changes idempotently, checked as imports are."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.operations.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db

BATCH = [
    {
        "source": "jira",
        "external_id": "SUP-7",
        "status": "new",
        "at": "2026-03-02T08:00:00Z",
        "priority": "P2",
        "title": "Printer offline",
    },
    {
        "source": "jira",
        "external_id": "SUP-7",
        "status": "in_progress",
        "at": "2026-03-02T08:20:00Z",
        "group": "Field",
    },
    {"source": "jira", "external_id": "SUP-8", "status": "new", "at": "2026-03-02T09:00:00Z"},
]


def _feed(user: User, batch: list[dict[str, Any]], query: str = "") -> Any:
    client = Client()
    client.force_login(user)
    return client.post(f"/api/v1/feed/events{query}", batch, content_type="application/json")


def test_a_batch_creates_tickets_and_events(bob: User) -> None:
    response = _feed(bob, BATCH)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "tickets_created": 2,
        "tickets_updated": 0,
        "events_created": 3,
        "events_skipped": 0,
    }
    ticket = Ticket.objects.get(source="jira", external_id="SUP-7")
    assert ticket.status == "in_progress" and ticket.title == "Printer offline"
    assert ticket.assignment_group == "Field" and ticket.responded_at is not None
    assert ticket.opened_at.isoformat() == "2026-03-02T08:00:00+00:00"


def test_the_same_batch_twice_creates_nothing(bob: User) -> None:
    _feed(bob, BATCH)
    again = _feed(bob, BATCH)
    assert again.json() == {
        "tickets_created": 0,
        "tickets_updated": 0,
        "events_created": 0,
        "events_skipped": 3,
    }
    assert TicketEvent.objects.count() == 3 and Ticket.objects.count() == 2


def test_a_later_batch_updates_the_ticket(bob: User) -> None:
    _feed(bob, BATCH)
    later = [
        {
            "source": "jira",
            "external_id": "SUP-7",
            "status": "resolved",
            "at": "2026-03-02T10:00:00Z",
        }
    ]
    assert _feed(bob, later).json()["tickets_updated"] == 1
    ticket = Ticket.objects.get(external_id="SUP-7")
    assert ticket.status == "resolved" and ticket.resolved_at is not None


def test_statuses_are_mapped_by_a_shipped_mapping(bob: User) -> None:
    batch = [
        {
            "source": "helpdesk4tu",
            "external_id": "C-1",
            "status": "Take in charge ticket",
            "at": "2026-03-02T08:00:00Z",
        }
    ]
    response = _feed(bob, batch, "?mapping=helpdesk-4tu")
    assert response.status_code == 200, response.content
    event = TicketEvent.objects.get()
    assert event.status == "in_progress" and event.source_status == "Take in charge ticket"


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ({"status": "Take in charge ticket"}, "none of"),
        ({"priority": "urgent"}, "P1"),
        ({"customer": 424242}, "no customer"),
        ({"at": "2099-01-01T00:00:00Z"}, "future"),
        ({"external_id": ""}, "external_id"),
    ],
)
def test_one_bad_item_refuses_the_whole_batch(bob: User, item: dict[str, Any], words: str) -> None:
    bad = {**BATCH[2], **item}
    response = _feed(bob, [BATCH[0], bad])
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("Item 2") and words in detail and "Nothing" in detail
    assert not Ticket.objects.exists()


def test_unknown_mapping_is_refused(bob: User) -> None:
    response = _feed(bob, BATCH, "?mapping=../../etc/passwd")
    assert response.status_code == 422 and "shipped mapping" in response.json()["detail"]


@pytest.mark.parametrize("name", ["dana", "carol", "victor", "alice"])
def test_only_importers_may_feed(request: pytest.FixtureRequest, name: str) -> None:
    response = _feed(request.getfixturevalue(name), BATCH)
    assert response.status_code == 403
    assert not Ticket.objects.exists()
