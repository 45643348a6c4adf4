"""A bad row in the middle fails the whole file: nothing of it is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicegate.importers.errors import ImportFailure
from servicegate.importers.tests.conftest import read_rows, write_csv
from servicegate.operations.models import ImportRun, Ticket, TicketEvent
from servicegate.operations.services import tickets_import

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def _break_row(source: Path, target: Path, index: int, column: str, value: str) -> Path:
    rows = read_rows(source)
    rows[index][rows[0].index(column)] = value
    return write_csv(target, rows)


def test_bad_row_stores_nothing_and_names_file_line_column(uci_slice: Path, tmp_path: Path) -> None:
    # given a file whose row on line 1001 has an unreadable update time
    bad = _break_row(uci_slice, tmp_path / "bad.csv", 1000, "sys_updated_at", "yesterday")
    # when
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="servicenow", path=bad)
    # then
    message = str(failure.value)
    assert "bad.csv, line 1001, column 'sys_updated_at'" in message
    assert "'yesterday'" in message and "Nothing of this file was imported" in message
    assert "--skip-invalid" in message
    assert Ticket.objects.count() == TicketEvent.objects.count() == ImportRun.objects.count() == 0


def test_data_already_stored_is_kept(uci_slice: Path, tmp_path: Path) -> None:
    tickets_import(format="servicenow", path=uci_slice)
    before = (Ticket.objects.count(), TicketEvent.objects.count())
    bad = _break_row(uci_slice, tmp_path / "bad.csv", 500, "reassignment_count", "-1")
    with pytest.raises(ImportFailure, match="column 'reassignment_count'"):
        tickets_import(format="servicenow", path=bad)
    assert (Ticket.objects.count(), TicketEvent.objects.count()) == before


def test_unknown_column_is_refused_with_the_closest_name(uci_slice: Path, tmp_path: Path) -> None:
    rows = read_rows(uci_slice)
    rows[0][rows[0].index("opened_at")] = "opend_at"
    bad = write_csv(tmp_path / "renamed.csv", rows)
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="servicenow", path=bad)
    assert "renamed.csv, line 1, column 'opend_at'" in str(failure.value)
    assert "Did you mean 'opened_at'?" in str(failure.value)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("sys_updated_at", "?", "the date is missing"),
        ("opened_at", "?", "the date is missing"),
        ("reopen_count", "²", "is not a whole number"),
    ],
)
def test_missing_required_date_or_odd_digit_is_refused(
    uci_slice: Path, tmp_path: Path, column: str, value: str, reason: str
) -> None:
    bad = _break_row(uci_slice, tmp_path / "bad.csv", 10, column, value)
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="servicenow", path=bad)
    assert f"line 11, column '{column}'" in str(failure.value)
    assert reason in str(failure.value)
    assert Ticket.objects.count() == 0
