"""The work a reactive ticket costs in the capacity plan is its hands-on time: the time it
spent in progress (waiting is not work, a stretch counts at most one working day), else
the configured minutes per kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from servicegate.calendars.models import BusinessCalendar
from servicegate.operations.models import Customer, Ticket, TicketEvent
from servicegate.planning.capacity import capacity_plan
from servicegate.planning.tests.conftest import api_client, login
from servicegate.team.models import Technician

OFFICE = {
    "timezone": "Europe/Berlin",
    "week": {d: ["08:00-16:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}


def _ticket(
    n: int, customer: Customer, steps: list[tuple[float, str]], kind: str = "incident"
) -> Ticket:
    """A resolved ticket whose events are ``(hours after opening, status)``."""
    opened = timezone.now() - dt.timedelta(days=20, hours=n)
    at = [opened + dt.timedelta(hours=h) for h, _status in steps]
    ticket = Ticket.objects.create(
        external_id=f"H{n}",
        number=f"H{n}",
        kind=kind,
        priority="P2",
        customer=customer,
        opened_at=opened,
        responded_at=at[1],
        resolved_at=at[-1],
        status="resolved",
    )
    TicketEvent.objects.bulk_create(
        TicketEvent(ticket=ticket, seq=i, at=when, status=status)
        for i, (when, (_h, status)) in enumerate(zip(at, steps, strict=True), start=1)
    )
    return ticket


@pytest.fixture
def office(db: None) -> BusinessCalendar:
    """Monday to Friday, 8 hours a day: one working day is 8 hours."""
    calendar = BusinessCalendar.objects.create(
        name="Office", timezone="Europe/Berlin", definition=OFFICE
    )
    Technician.objects.create(name="A", home_base="Ulm", calendar=calendar)
    return calendar


def test_waiting_for_the_customer_is_not_work(office: BusinessCalendar, customer: Customer) -> None:
    # given tickets worked 1 h, parked 30 h with the customer, worked 1 h more
    for n in range(20):
        _ticket(
            n,
            customer,
            [
                (0, "new"),
                (0.5, "assigned"),
                (1, "in_progress"),
                (2, "awaiting_customer"),
                (32, "in_progress"),
                (33, "resolved"),
            ],
        )
    # when
    plan = capacity_plan(weeks=1)
    # then each costs its two hours in progress, not the 32 hours from response to resolution
    assert plan.aht_measured and plan.work_tickets == 20
    assert plan.aht_seconds == pytest.approx(2 * 3600)


def test_a_stretch_left_in_progress_counts_at_most_one_working_day(
    office: BusinessCalendar, customer: Customer
) -> None:
    for n in range(10):
        _ticket(n, customer, [(0, "new"), (1, "in_progress"), (3, "resolved")])
    for n in range(10, 20):  # left in progress over two nights
        _ticket(n, customer, [(0, "new"), (1, "in_progress"), (49, "resolved")])
    plan = capacity_plan(weeks=1)
    assert plan.work_day_hours == pytest.approx(8.0)
    assert plan.aht_seconds == pytest.approx((10 * 2 + 10 * 8) / 20 * 3600)


@override_settings(SERVICEGATE_WORK_MINUTES={"incident": 90, "request": 30})
def test_without_enough_tickets_in_progress_the_minutes_per_kind_stand_in(
    office: BusinessCalendar, customer: Customer, bob: User
) -> None:
    # given 19 tickets in progress (one short of a measurement) and 5 requests without it
    for n in range(19):
        _ticket(n, customer, [(0, "new"), (1, "in_progress"), (2, "resolved")])
    for n in range(19, 24):
        _ticket(n, customer, [(0, "new"), (1, "assigned"), (2, "resolved")], kind="request")
    # when
    plan = capacity_plan(weeks=1)
    # then the configured minutes, weighed by the mix of incidents and requests
    assert not plan.aht_measured and plan.work_tickets == 0
    assert plan.aht_seconds == pytest.approx((19 * 90 + 5 * 30) / 24 * 60)
    sources = api_client(bob).get("/api/v1/capacity?weeks=1").json()["sources"]
    assert sources["aht_basis"] == "default" and sources["aht_seconds"] == 4650.0
    page = login(bob).get("/planning/capacity/?weeks=1").content.decode()
    assert "hands-on time 1.3 h per reactive ticket: the configured minutes per kind" in page


def test_the_page_says_what_the_hands_on_time_rests_on(
    office: BusinessCalendar, customer: Customer, bob: User
) -> None:
    for n in range(20):
        _ticket(n, customer, [(0, "new"), (1, "in_progress"), (2.5, "resolved")])
    page = login(bob).get("/planning/capacity/?weeks=1").content.decode()
    assert (
        "hands-on time 1.5 h per reactive ticket: the mean time in progress of the latest "
        "20 resolved tickets (each stretch counted up to one working day, 8.0 h" in page
    )
    german = login(bob).get("/planning/capacity/?weeks=1", headers={"accept-language": "de"})
    assert "Arbeitszeit 1,5 h je reaktivem Ticket" in german.content.decode()
