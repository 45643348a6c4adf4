"""Every ticket write updates the clocks of that ticket in the same transaction.

Creating a ticket, recording a status (pause, resume, stop), changing its priority
through the API and a feed batch each leave ``GET /api/v1/tickets/{id}/clocks`` current
without a recomputation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.measurement.models import Clock, ClockSummary
from servicegate.operations.models import Customer, Ticket
from servicegate.promises.models import Promise

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def resolution(make_promise: Callable[..., Promise]) -> Promise:
    return make_promise(
        metric="resolution",
        target_value=4,
        target_unit="hours",
        clock_pause_statuses=["awaiting_customer"],
        clock_stop_statuses=["resolved", "closed"],
    )


def _create(client: Client, customer: Customer, **extra: Any) -> dict[str, Any]:
    body = {"title": "Spindle stops", "customer": customer.pk, "priority": "P2", **extra}
    response = _post(client, "/api/v1/tickets/", body)
    assert response.status_code == 201, response.content
    return dict(response.json())


def _clock(ticket_id: int) -> Clock:
    return Clock.objects.get(ticket_id=ticket_id)


def test_creating_a_ticket_starts_its_clock(
    bob: User, customer: Customer, resolution: Promise
) -> None:
    # given an in-service resolution promise
    opened = timezone.now() - timedelta(hours=1)
    # when a ticket is created through the API
    data = _create(_client(bob), customer, opened_at=opened.isoformat())
    # then its clock runs at once, due four hours after it was opened
    clock = _clock(data["id"])
    assert clock.state == "running"
    assert abs((clock.deadline - opened).total_seconds() - 4 * 3600) < 1  # type: ignore[operator]
    response = _client(bob).get(f"/api/v1/tickets/{data['id']}/clocks")
    assert response.status_code == 200
    assert [c["state"] for c in response.json()] == ["running"]


def test_pause_resume_and_stop_through_the_api(
    bob: User, customer: Customer, resolution: Promise
) -> None:
    now = timezone.now()
    client = _client(bob)
    data = _create(client, customer, opened_at=(now - timedelta(hours=3)).isoformat())
    url = f"/api/v1/tickets/{data['id']}/events"
    # a pause of one hour moves the deadline by one hour
    assert (
        _post(
            client,
            url,
            {"status": "awaiting_customer", "at": (now - timedelta(hours=2)).isoformat()},
        ).status_code
        == 201
    )
    assert _clock(data["id"]).state == "paused"
    assert (
        _post(
            client, url, {"status": "in_progress", "at": (now - timedelta(hours=1)).isoformat()}
        ).status_code
        == 201
    )
    clock = _clock(data["id"])
    assert clock.state == "running"
    assert abs((clock.deadline - (now + timedelta(hours=2))).total_seconds()) < 2  # type: ignore[operator]
    # resolving stops the clock, met, and the summary counts it at once
    assert _post(client, url, {"status": "resolved", "note": "Bearing replaced"}).status_code == 201
    clock = _clock(data["id"])
    assert clock.state == "met" and not clock.breached
    assert sum(ClockSummary.objects.filter(promise=resolution).values_list("met", flat=True)) == 1
    assert Ticket.objects.get(pk=data["id"]).changes.filter(note="Bearing replaced").exists()


def test_priority_change_reevaluates_keeping_pauses(
    bob: User, customer: Customer, make_promise: Callable[..., Promise]
) -> None:
    # given a P1 promise of 2 hours and a P2 promise of 8 hours
    p1 = make_promise(target_value=2, priority="P1", clock_pause_statuses=["awaiting_customer"])
    p2 = make_promise(target_value=8, priority="P2", clock_pause_statuses=["awaiting_customer"])
    now = timezone.now()
    client = _client(bob)
    data = _create(client, customer, opened_at=(now - timedelta(hours=3)).isoformat())
    url = f"/api/v1/tickets/{data['id']}/events"
    _post(
        client, url, {"status": "awaiting_customer", "at": (now - timedelta(hours=2)).isoformat()}
    )
    _post(client, url, {"status": "in_progress", "at": (now - timedelta(hours=1)).isoformat()})
    assert _clock(data["id"]).promise_id == p2.pk
    # when the priority is raised to P1
    response = client.patch(
        f"/api/v1/tickets/{data['id']}", {"priority": "P1"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    # then the P1 promise's clock applies, with the hour paused not counted: 2 h used of 2
    clock = _clock(data["id"])
    assert clock.promise_id == p1.pk
    assert clock.paused_s == pytest.approx(3600, abs=5)
    assert clock.business_elapsed_s == pytest.approx(2 * 3600, abs=5)


def test_a_refused_write_leaves_ticket_and_clock_as_they_were(
    bob: User, customer: Customer, resolution: Promise
) -> None:
    client = _client(bob)
    data = _create(client, customer)
    before = _clock(data["id"]).fingerprint
    future = (timezone.now() + timedelta(minutes=10)).isoformat()
    response = _post(
        client, f"/api/v1/tickets/{data['id']}/events", {"status": "resolved", "at": future}
    )
    assert response.status_code == 422
    assert "future" in response.json()["detail"]
    assert Ticket.objects.get(pk=data["id"]).status == "new"
    assert _clock(data["id"]).fingerprint == before


def test_a_feed_batch_updates_the_clocks(bob: User, resolution: Promise) -> None:
    opened = timezone.now() - timedelta(hours=5)
    batch = [
        {"source": "jira", "external_id": "SUP-1", "status": "new", "at": opened.isoformat()},
        {
            "source": "jira",
            "external_id": "SUP-1",
            "status": "resolved",
            "at": (opened + timedelta(hours=2)).isoformat(),
        },
    ]
    response = _post(_client(bob), "/api/v1/feed/events", batch)  # type: ignore[arg-type]
    assert response.status_code == 200, response.content
    clock = Clock.objects.get(ticket__external_id="SUP-1")
    assert clock.state == "met"


def test_an_import_updates_the_clocks_of_its_tickets(tmp_path: Any, resolution: Promise) -> None:
    from servicegate.operations.services import tickets_import

    # given a file with a ticket resolved after six hours
    opened = timezone.now() - timedelta(days=2)
    stamp = "%Y/%m/%d %H:%M:%S.000"
    rome = opened.astimezone(ZoneInfo("Europe/Rome"))
    rows = [
        ("C-1", rome.strftime(stamp), "Insert ticket"),
        ("C-1", (rome + timedelta(hours=6)).strftime(stamp), "Resolve ticket"),
    ]
    path = tmp_path / "helpdesk.csv"
    path.write_text(
        "Case ID,Complete Timestamp,Activity,workgroup,Resource,service_type\n"
        + "".join(f"{a},{b},{c},G,R,S\n" for a, b, c in rows)
    )
    # when it is imported
    tickets_import(format="events", path=path, mapping="helpdesk-4tu")
    # then its clock is there at once, breached (6 h > 4 h)
    clock = Clock.objects.get(ticket__external_id="C-1")
    assert clock.breached and not clock.is_open
