"""My promises, planned visits and offers: this customer's, measured on its own tickets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

from servicegate.measurement.selectors import attainment_of
from servicegate.operations.models import Customer, Ticket
from servicegate.operations.ticket_services import ticket_create
from servicegate.portal import selectors
from servicegate.portal.choices import Trend
from servicegate.promises.models import Promise

pytestmark = pytest.mark.django_db


def test_promises_show_this_customers_attainment_only(
    kim: User,
    promise: Promise,
    resolved_ticket: Ticket,
    foreign_ticket: Ticket,
    other_customer: Customer,
    bearer_of: Callable[[User], Client],
) -> None:
    # given: a promise made to the other customer alone
    Promise.objects.create(
        **{
            f.name: getattr(promise, f.name)
            for f in Promise._meta.concrete_fields
            if f.name not in ("id", "customer", "created_at", "updated_at")
        },
        customer=other_customer,
    )
    # when
    rows = bearer_of(kim).get("/api/v1/portal/promises").json()
    # then: the segment promise with kim's one met ticket, not the other customer's
    assert [r["id"] for r in rows] == [promise.pk]
    (row,) = rows
    assert row["statement"] == "95 % of your P2 tickets resolved within 4 hours"
    assert row["attainment"] == {"n": 1, "met": 1, "rate": 1.0}
    assert row["trend"] == "unknown" and len(row["periods"]) == 1


def test_the_promises_page_reads_in_plain_words(
    kim: User, promise: Promise, resolved_ticket: Ticket, session_of: Callable[[User], Client]
) -> None:
    page = session_of(kim).get("/portal/").content.decode()
    assert "95 % of your P2 tickets resolved within 4 hours" in page
    assert "100.0 % kept (1 of 1 of your tickets)" in page


def test_trend_compares_the_last_two_periods() -> None:
    def month(day: int, met: int) -> object:
        return attainment_of("1", date(2026, day, 1), 10, met, 0.9)

    assert selectors.trend_of([month(1, 8), month(2, 9)]) == Trend.UP  # type: ignore[list-item]
    assert selectors.trend_of([month(1, 9), month(2, 7)]) == Trend.DOWN  # type: ignore[list-item]
    assert selectors.trend_of([month(1, 9), month(2, 9)]) == Trend.FLAT  # type: ignore[list-item]
    assert selectors.trend_of([month(1, 9)]) == Trend.UNKNOWN  # type: ignore[list-item]


def test_planned_visits_are_the_customers_preventive_work_ahead(
    kim: User,
    bob: User,
    customer: Customer,
    other_customer: Customer,
    session_of: Callable[[User], Client],
) -> None:
    now = timezone.now()

    def work_order(who: Customer, kind: str, days: int) -> Ticket:
        ticket = ticket_create(by=bob, title=kind, customer_id=who.pk, priority="P3", kind=kind)
        Ticket.objects.filter(pk=ticket.pk).update(
            window_start=now + timedelta(days=days), window_end=now + timedelta(days=days + 1)
        )
        return ticket

    ahead = work_order(customer, "preventive", 10)
    inspection = work_order(customer, "inspection", 20)
    work_order(customer, "preventive", -10)  # its window is over
    work_order(customer, "incident", 5)  # not preventive
    work_order(other_customer, "preventive", 10)  # another customer's
    assert list(selectors.planned_visits(customer)) == [ahead, inspection]
    page = session_of(kim).get("/portal/visits/").content.decode()
    assert ahead.number in page and inspection.number in page


@dataclass(frozen=True)
class OfferStub:
    """The figures of an offer the portal shows (maintenance's ``Offer`` has them)."""

    product_name: str
    incidents_avoided: float
    downtime_hours_avoided: float
    interval_days: int
    price: float
    currency: str
    margin: float


def offers_stub(customer: Customer) -> list[OfferStub]:
    return [
        OfferStub(f"Preventive maintenance for {customer.name}", 2.5, 30, 90, 4800, "EUR", 1234)
    ]


def test_offers_come_through_the_settings_hook(
    kim: User, customer: Customer, session_of: Callable[[User], Client]
) -> None:
    client = session_of(kim)
    with override_settings(SERVICEGATE_PORTAL_OFFERS="servicegate.nowhere.offers"):
        assert "as soon as we prepare them" in client.get("/portal/offers/").content.decode()
    hook = f"{__name__}.offers_stub"
    with override_settings(SERVICEGATE_PORTAL_OFFERS=hook):
        page = client.get("/portal/offers/").content.decode()
    assert f"Preventive maintenance for {customer.name}" in page
    assert "About 2.5 incidents and 30 hours of downtime avoided per year" in page
    assert "4800 EUR per year" in page and "1234" not in page  # no margin for customers
