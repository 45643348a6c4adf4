"""Ticket events are append-only: the database refuses to change one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, transaction

from servicegate.operations.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_updating_an_event_is_refused(make_ticket: Callable[..., Ticket]) -> None:
    ticket = make_ticket("T-1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TicketEvent.objects.filter(ticket=ticket).update(status="closed")
    assert set(TicketEvent.objects.values_list("status", flat=True)) == {"new", "assigned"}
