"""The demo's portal step: the ``customer`` login, its feedback and one low score's finding."""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.auth.models import User

from servicegate.core.demo import DemoContext
from servicegate.improvement.models import Finding
from servicegate.operations.models import Customer, Ticket
from servicegate.portal.demo import build
from servicegate.portal.models import Feedback

pytestmark = pytest.mark.django_db


def test_build_creates_the_customer_login_with_feedback(
    bob: User, customer: Customer, resolved_ticket: Ticket, open_ticket: Ticket
) -> None:
    lines: list[str] = []
    ctx = DemoContext(
        seed=1,
        size="small",
        rng=np.random.default_rng(1),
        report=lines.append,
        objects={"users": {"manager": bob}},
    )
    build(ctx)
    user = User.objects.get(username="customer")
    assert user.check_password("demo") and user.customer_contact.customer == customer  # type: ignore[attr-defined, unused-ignore]
    feedback = Feedback.objects.get()
    assert (feedback.ticket, feedback.score) == (resolved_ticket, 1)
    assert Finding.objects.get(source="customer_feedback").ticket == resolved_ticket
    assert Ticket.objects.filter(customer=customer).count() == 3  # one raised in the portal
    assert lines[-1].startswith(
        "demo: portal user 'customer' for Weber Automotive GmbH: 1 feedback"
    )
