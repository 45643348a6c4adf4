"""A slice of the real ServiceNow log imports with tickets, events and the SLA flag."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from servicegate.operations.models import Ticket, TicketEvent
from servicegate.operations.services import tickets_import

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_every_row_becomes_an_event_and_every_number_a_ticket(
    uci_slice: Path, uci_rows: Callable[[int], list[list[str]]]
) -> None:
    # given
    rows = uci_rows(2000)
    header, data = rows[0], rows[1:]
    numbers = {row[header.index("number")] for row in data}
    # when
    summary = tickets_import(format="servicenow", path=uci_slice)
    # then
    assert summary.rows == len(data)
    assert summary.events_created == len(data) == TicketEvent.objects.count()
    assert summary.tickets_created == len(numbers) == Ticket.objects.count()


def test_ticket_fields_come_from_the_last_row(
    uci_slice: Path, uci_rows: Callable[[int], list[list[str]]]
) -> None:
    rows = uci_rows(2000)
    header, data = rows[0], rows[1:]
    last = {row[header.index("number")]: row for row in data}
    tickets_import(format="servicenow", path=uci_slice)

    ticket = Ticket.objects.get(source="servicenow", external_id="INC0000045")
    row = last["INC0000045"]
    assert ticket.source_made_sla is (row[header.index("made_sla")] == "true")
    assert ticket.priority == "P3" and ticket.source_priority == "3 - Moderate"
    assert ticket.status == "closed"
    assert ticket.opened_at.isoformat() == "2016-02-29T01:16:00+00:00"
    assert ticket.closed_at is not None and ticket.closed_at.isoformat().startswith("2016-03-05")
    made = Ticket.objects.filter(source_made_sla__isnull=False).count()
    assert made == len(last)


def test_events_keep_the_source_state_and_are_in_clock_order(uci_slice: Path) -> None:
    tickets_import(format="servicenow", path=uci_slice)
    events = list(
        TicketEvent.objects.filter(ticket__external_id="INC0000045").order_by("at", "seq")
    )
    assert [e.source_status for e in events][:2] == ["New", "Resolved"]
    assert events[0].status == "new" and events[-1].status == "closed"
    assert [e.seq for e in events] == sorted(e.seq for e in events)


def test_timezone_option_reads_local_times(uci_slice: Path) -> None:
    tickets_import(format="servicenow", path=uci_slice, timezone="Europe/Berlin")
    ticket = Ticket.objects.get(external_id="INC0000045")
    # 29/2/2016 01:16 in Berlin (CET, UTC+1) is 00:16 UTC
    assert ticket.opened_at.isoformat() == "2016-02-29T00:16:00+00:00"


def test_the_zip_as_published_imports_too(shared_data: Path, tmp_path: Path) -> None:
    """The published zip is read directly (here as a dry run over the whole log)."""
    summary = tickets_import(
        format="servicenow",
        path=shared_data / "uci-498-incident-event-log/incident_event_log.zip",
        dry_run=True,
    )
    assert summary.rows == 141_712
    assert summary.tickets_created == 24_918
    assert Ticket.objects.count() == 0
