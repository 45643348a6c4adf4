"""Importing the same file again creates nothing; changed rows update their ticket."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicegate.importers.tests.conftest import read_rows, write_csv
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.operations.services import tickets_import

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_second_import_creates_nothing(uci_slice: Path) -> None:
    first = tickets_import(format="servicenow", path=uci_slice)
    second = tickets_import(format="servicenow", path=uci_slice)
    assert first.tickets_created > 0 and first.events_created > 0
    assert (second.tickets_created, second.tickets_updated, second.events_created) == (0, 0, 0)
    assert second.tickets_total == first.tickets_total
    assert second.events_total == first.events_total


def test_a_longer_export_adds_only_the_new_events(uci_slice: Path, tmp_path: Path) -> None:
    rows = read_rows(uci_slice)
    short = write_csv(tmp_path / "short.csv", rows[:1001])
    tickets_import(format="servicenow", path=short)
    before = TicketEvent.objects.count()
    summary = tickets_import(format="servicenow", path=uci_slice)
    assert summary.events_created == len(rows) - 1 - before
    assert TicketEvent.objects.count() == len(rows) - 1


def test_a_changed_row_updates_its_ticket(uci_slice: Path, tmp_path: Path) -> None:
    tickets_import(format="servicenow", path=uci_slice)
    rows = read_rows(uci_slice)
    header = rows[0]
    # the last row of INC0000045 now says the SLA was missed
    last = max(i for i, r in enumerate(rows) if r[0] == "INC0000045")
    rows[last][header.index("made_sla")] = "false"
    changed = write_csv(tmp_path / "changed.csv", rows)

    summary = tickets_import(format="servicenow", path=changed)

    assert (summary.tickets_created, summary.tickets_updated, summary.events_created) == (0, 1, 0)
    assert Ticket.objects.get(external_id="INC0000045").source_made_sla is False
