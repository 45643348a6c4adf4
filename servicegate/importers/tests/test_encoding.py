"""A file in the wrong encoding names file and line and suggests --encoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicegate.importers.errors import ImportFailure
from servicegate.importers.tests.conftest import write_csv
from servicegate.operations.models import Ticket
from servicegate.operations.services import tickets_import

pytestmark = pytest.mark.django_db

HEADER = [
    "Unique Key", "Created Date", "Closed Date", "Agency", "Complaint Type", "Status", "Due Date"
]  # fmt: skip


def _rows() -> list[list[str]]:
    rows = [HEADER]
    for i in range(1, 40):
        rows.append([str(i), "06/26/2018 10:58:54 AM", "", "NYPD", "Noise", "Open", ""])
    rows[30][4] = "Lärm – Straße"
    return rows


def test_latin1_file_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "latin.csv", _rows(), encoding="cp1252")
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="tickets", path=path, mapping="nyc-311")
    message = str(failure.value)
    assert message.startswith("latin.csv, line 31:")
    assert "not valid utf-8-sig" in message and "--encoding cp1252" in message
    assert not Ticket.objects.exists()


def test_the_right_encoding_imports(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "latin.csv", _rows(), encoding="cp1252")
    summary = tickets_import(format="tickets", path=path, mapping="nyc-311", encoding="cp1252")
    assert summary.tickets_created == 39
    assert Ticket.objects.get(external_id="30").category == "Lärm – Straße"
