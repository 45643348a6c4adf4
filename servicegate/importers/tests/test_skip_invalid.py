"""--skip-invalid imports the valid rows and writes the rejected ones beside the input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from servicegate.importers.tests.conftest import read_rows, write_csv
from servicegate.operations.models import TicketEvent
from servicegate.operations.services import tickets_import

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_rejected_rows_are_written_with_reasons(uci_slice: Path, tmp_path: Path) -> None:
    rows = read_rows(uci_slice)
    rows[5][rows[0].index("sys_updated_at")] = "30/2/2016 10:00"
    rows[7][rows[0].index("made_sla")] = "maybe"
    bad = write_csv(tmp_path / "log.csv", rows)

    summary = tickets_import(format="servicenow", path=bad, skip_invalid=True)

    rejected = tmp_path / "log.rejected.csv"
    assert summary.rejected == 2 and summary.rejected_file == str(rejected)
    assert TicketEvent.objects.count() == len(rows) - 1 - 2
    with rejected.open(newline="") as handle:
        found = list(csv.reader(handle))
    assert found[0][:3] == ["line", "column", "reason"]
    assert [r[:2] for r in found[1:]] == [["6", "sys_updated_at"], ["8", "made_sla"]]
    assert "maybe" in found[2][2]
