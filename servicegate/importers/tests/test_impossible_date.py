"""An impossible date (31 February) is a bad row, named with its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicegate.importers.errors import ImportFailure
from servicegate.importers.tests.conftest import read_rows, write_csv
from servicegate.operations.models import Ticket
from servicegate.operations.services import tickets_import

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_31_february_is_refused(uci_slice: Path, tmp_path: Path) -> None:
    rows = read_rows(uci_slice)
    rows[10][rows[0].index("opened_at")] = "31/2/2016 10:00"
    bad = write_csv(tmp_path / "feb.csv", rows)
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="servicenow", path=bad)
    message = str(failure.value)
    assert "feb.csv, line 11, column 'opened_at'" in message
    assert "31/2/2016 10:00" in message and "day is out of range for month" in message
    assert not Ticket.objects.exists()
