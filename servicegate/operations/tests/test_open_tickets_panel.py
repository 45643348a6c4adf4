"""The dashboard's open-ticket figure counts every ticket not resolved, closed or cancelled."""

from __future__ import annotations

from datetime import UTC, datetime

from servicegate.operations.choices import OPEN_STATUSES, STOP_STATUSES, TicketStatus
from servicegate.operations.dashboard import open_tickets
from servicegate.operations.models import Customer, Ticket


def test_every_status_but_the_stop_statuses_is_open(customer: Customer) -> None:
    # given one ticket in each status
    for i, status in enumerate(TicketStatus.values):
        Ticket.objects.create(
            external_id=f"T-{i}",
            number=f"T-{i}",
            customer=customer,
            opened_at=datetime(2026, 3, 2, 8, tzinfo=UTC),
            status=status,
        )
    # then the positive list is exactly the statuses that are not a stop
    assert set(OPEN_STATUSES) == set(TicketStatus.values) - STOP_STATUSES
    assert "other" in OPEN_STATUSES  # a source status not recognised is still open
    # and the panel counts what excluding the stop statuses counts
    expected = Ticket.objects.exclude(status__in=STOP_STATUSES).count()
    assert open_tickets().context["value"] == expected == len(TicketStatus.values) - 3
