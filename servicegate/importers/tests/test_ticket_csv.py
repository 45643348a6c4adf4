"""One-row-per-ticket CSV (NYC 311) with a mapping; conflicting duplicate ids are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicegate.importers.errors import ImportFailure
from servicegate.importers.tests.conftest import NYC, read_rows, write_csv
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.operations.services import tickets_import

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_nyc_311_sample_imports(shared_data: Path, tmp_path: Path) -> None:
    """10 requests closed before they were created are rejected; the rest import."""
    rejected = tmp_path / "rejected.csv"
    summary = tickets_import(
        format="tickets",
        path=shared_data / NYC,
        mapping="nyc-311",
        skip_invalid=True,
        rejected_path=rejected,
    )
    assert summary.rows == 1000 and summary.rejected == 10
    assert summary.tickets_created == Ticket.objects.count() == 990
    assert rejected.read_text().count("lies before the opening") == 10
    ticket = Ticket.objects.get(external_id="39573567")
    # 06/26/2018 10:58:54 AM in New York (EDT, UTC-4)
    assert ticket.opened_at.isoformat() == "2018-06-26T14:58:54+00:00"
    assert ticket.status == "closed" and ticket.kind == "request"
    assert ticket.category == "Non-Emergency Police Matter" and ticket.assignment_group == "NYPD"
    statuses = list(ticket.events.values_list("status", flat=True))
    assert statuses == ["new", "closed"]  # no resolution column: closing resolves
    assert ticket.resolved_at == ticket.closed_at
    assert ticket.due_at is not None and ticket.due_at.isoformat() == "2018-06-26T22:58:54+00:00"
    again = tickets_import(
        format="tickets", path=shared_data / NYC, mapping="nyc-311", skip_invalid=True
    )
    assert (again.tickets_created, again.tickets_updated, again.events_created) == (0, 0, 0)


def test_duplicate_id_with_other_values_is_refused(shared_data: Path, tmp_path: Path) -> None:
    rows = read_rows(shared_data / NYC, limit=20)
    duplicate = list(rows[3])
    duplicate[rows[0].index("Status")] = "Open"
    rows.insert(10, duplicate)
    path = write_csv(tmp_path / "dup.csv", rows)
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="tickets", path=path, mapping="nyc-311")
    message = str(failure.value)
    assert f"dup.csv, line 11, column 'Unique Key': the id {rows[3][0]!r} already appeared" in (
        message
    )
    assert "on line 4" in message
    assert not TicketEvent.objects.exists()


def test_an_identical_repeated_row_is_harmless(shared_data: Path, tmp_path: Path) -> None:
    rows = read_rows(shared_data / NYC, limit=20)
    rows.insert(10, list(rows[3]))
    path = write_csv(tmp_path / "repeat.csv", rows)
    summary = tickets_import(format="tickets", path=path, mapping="nyc-311")
    assert summary.tickets_created == 20
