"""Portal feedback reaches measurement's promise page and the Sales scorecard as CSAT."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.catalog.models import ServiceProduct
from servicegate.improvement.scorecard import scorecard
from servicegate.measurement.csat import csat_by
from servicegate.measurement.models import Clock, ClockSummary
from servicegate.operations.models import Customer, Ticket
from servicegate.portal.selectors import csat_by_key
from servicegate.portal.services import feedback_give
from servicegate.promises.models import Promise

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(kim: User, resolved_ticket: Ticket) -> Ticket:
    feedback_give(by=kim, ticket_id=resolved_ticket.pk, score=4, comment="Quick and kind.")
    return resolved_ticket


def test_csat_per_promise_product_and_customer(
    scored: Ticket, promise: Promise, product: ServiceProduct, customer: Customer
) -> None:
    for group, key in (("promise", promise.pk), ("product", product.pk), ("customer", customer.pk)):
        found = csat_by(group)
        assert list(found) == [key], group
        assert (found[key].n, found[key].mean, found[key].satisfied) == (1, 4.0, 1.0)
    assert csat_by("promise", keys=[promise.pk + 1]) == {}
    tomorrow = timezone.now().date() + timedelta(days=1)
    assert csat_by("customer", since=tomorrow) == {}
    assert csat_by_key("customer", until=tomorrow)[customer.pk].n == 1


def test_a_ticket_with_two_clocks_of_a_product_counts_once(
    scored: Ticket, promise: Promise, product: ServiceProduct
) -> None:
    second = Promise.objects.get(pk=promise.pk)
    second.pk = None
    second.metric = "response"
    second.save()
    clock = Clock.objects.filter(ticket=scored).first()
    assert clock is not None
    clock.pk = None
    clock.promise = second
    clock.save()
    assert csat_by_key("product")[product.pk].n == 1
    assert set(csat_by_key("promise")) == {promise.pk, second.pk}


def test_the_promise_page_and_the_scorecard_show_csat(
    scored: Ticket,
    promise: Promise,
    customer: Customer,
    alice: User,
    session_of: Callable[[User], Client],
) -> None:
    ClockSummary.objects.create(promise=promise, day=timezone.now().date(), n=1, met=1, cause="")
    row = scorecard(by="product")[0]
    assert (row.csat_n, row.csat_mean, row.csat_satisfied) == (1, 4.0, 1.0)
    client = session_of(alice)
    page = client.get(f"/measurement/promises/{promise.pk}/").content.decode()
    assert "Customer satisfaction: 4.0 of 5 from 1 score in the portal (100 % satisfied" in page
    german = client.get(
        f"/measurement/promises/{promise.pk}/", headers={"accept-language": "de"}
    ).content.decode()
    assert "Kundenzufriedenheit" in german
    card = client.get("/improvement/scorecard/?by=product").content.decode()
    assert "4,0 · 100 %" in card or "4.0 · 100 %" in card
