"""Feedback once per resolved ticket; a low score raises a KVP finding; CSAT per group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from servicegate.improvement.models import Finding
from servicegate.operations.models import Customer, Ticket
from servicegate.portal import selectors
from servicegate.portal.models import CustomerContact, Feedback
from servicegate.promises.models import Promise

pytestmark = pytest.mark.django_db


def _feedback(client: Client, ticket: Ticket, score: object, comment: str = "") -> Any:
    return client.post(
        f"/api/v1/portal/tickets/{ticket.pk}/feedback",
        {"score": score, "comment": comment},
        content_type="application/json",
    )


def test_feedback_once_per_resolved_ticket(
    kim: User, resolved_ticket: Ticket, bearer_of: Callable[[User], Client]
) -> None:
    client = bearer_of(kim)
    first = _feedback(client, resolved_ticket, 5, "Quick and friendly")
    assert first.status_code == 201, first.content
    assert first.json()["finding_id"] is None
    again = _feedback(client, resolved_ticket, 1)
    assert again.status_code == 409
    assert "given already" in again.json()["detail"]
    assert Feedback.objects.get().score == 5
    detail = client.get(f"/api/v1/portal/tickets/{resolved_ticket.pk}").json()
    assert detail["feedback_given"] is True and detail["status"] == "resolved"


@pytest.mark.parametrize("score", [0, 6, -1, "5", 2.5, True])
def test_scores_outside_one_to_five_are_refused(
    kim: User, resolved_ticket: Ticket, bearer_of: Callable[[User], Client], score: object
) -> None:
    response = _feedback(bearer_of(kim), resolved_ticket, score)
    assert response.status_code == 422
    assert not Feedback.objects.exists()


def test_no_feedback_on_an_open_or_foreign_ticket(
    kim: User,
    open_ticket: Ticket,
    foreign_ticket: Ticket,
    bearer_of: Callable[[User], Client],
) -> None:
    client = bearer_of(kim)
    still_open = _feedback(client, open_ticket, 4)
    assert still_open.status_code == 409
    assert "not resolved yet" in still_open.json()["detail"]
    foreign = _feedback(client, foreign_ticket, 4)
    assert foreign.status_code == 404
    assert not Feedback.objects.exists()


def test_a_low_score_raises_a_customer_feedback_finding(
    kim: User,
    bob: User,
    customer: Customer,
    promise: Promise,
    resolved_ticket: Ticket,
    bearer_of: Callable[[User], Client],
) -> None:
    # given: bob invited kim (he may raise findings)
    CustomerContact.objects.filter(user=kim).update(invited_by=bob)
    # when: kim scores the resolved ticket 2 of 5
    response = _feedback(bearer_of(kim), resolved_ticket, 2, "Took three visits")
    # then: a finding from customer feedback, linked to ticket, promise and customer
    assert response.status_code == 201
    finding = Finding.objects.get()
    assert response.json()["finding_id"] == finding.pk
    assert finding.source == "customer_feedback"
    assert (finding.ticket, finding.promise, finding.customer) == (
        resolved_ticket,
        promise,
        customer,
    )
    assert finding.raised_by == bob
    assert "Took three visits" in finding.description


@override_settings(SERVICEGATE_PORTAL_LOW_SCORE=3)
def test_the_low_score_is_configurable(
    kim: User,
    persona: Callable[[str], User],
    resolved_ticket: Ticket,
    bearer_of: Callable[[User], Client],
) -> None:
    assert _feedback(bearer_of(kim), resolved_ticket, 3).status_code == 201
    # no inviter known: the first KVP lead raises it (bob, the service manager)
    reporter = Finding.objects.get().raised_by
    assert reporter is not None and reporter.username == "bob"


def test_a_good_score_raises_no_finding(
    kim: User, resolved_ticket: Ticket, bearer_of: Callable[[User], Client]
) -> None:
    assert _feedback(bearer_of(kim), resolved_ticket, 3).status_code == 201
    assert not Finding.objects.exists()


def test_csat_per_customer_product_and_promise(
    kim: User,
    resolved_ticket: Ticket,
    promise: Promise,
    customer: Customer,
    bearer_of: Callable[[User], Client],
) -> None:
    _feedback(bearer_of(kim), resolved_ticket, 4)
    (by_customer,) = selectors.csat(group_by="customer")
    assert (by_customer.group, by_customer.n, by_customer.mean) == (customer.name, 1, 4.0)
    assert by_customer.satisfied == 1.0
    (by_product,) = selectors.csat(group_by="product")
    assert by_product.group == promise.product.name
    (by_promise,) = selectors.csat(group_by="promise")
    assert by_promise.group == str(promise.pk)


def test_staff_read_csat_through_the_api(
    role_matrix: Any, kim: User, resolved_ticket: Ticket, bearer_of: Callable[[User], Client]
) -> None:
    _feedback(bearer_of(kim), resolved_ticket, 2)
    role_matrix("/api/v1/csat?group_by=promise", {"*": 200}, api=True)
    assert bearer_of(kim).get("/api/v1/csat").status_code == 403
    rows = Client().get("/api/v1/csat")
    assert rows.status_code == 401
    bad = bearer_of(User.objects.get(username="bob")).get("/api/v1/csat?group_by=moon")
    assert bad.status_code == 422 and "no grouping" in bad.json()["detail"]
    (row,) = bearer_of(User.objects.get(username="bob")).get("/api/v1/csat").json()
    assert row == {"group": "Weber Automotive GmbH", "n": 1, "mean": 2.0, "satisfied": 0.0}
