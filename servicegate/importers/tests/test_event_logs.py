"""Event logs import with the shipped mappings: BPI 2013 (zip), the help desk log, XES."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from servicegate.importers.errors import ImportFailure
from servicegate.importers.tests.conftest import HELPDESK, VOLVO, read_rows, write_csv
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.operations.services import tickets_import

pytestmark = pytest.mark.django_db


@pytest.mark.realdata
def test_volvo_zip_slice_imports_with_pauses_and_priorities(
    shared_data: Path, tmp_path: Path
) -> None:
    # given the first 3,000 events, zipped like the published archive
    rows = read_rows(shared_data / VOLVO, member="VolvoIT-Challenge/VINST-new.csv", limit=3000)
    text = io.StringIO()
    write_csv(tmp_path / "tmp.csv", rows)
    text.write((tmp_path / "tmp.csv").read_text(encoding="utf-8"))
    archive = tmp_path / "volvo.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("VolvoIT-Challenge/VINST-new.csv", text.getvalue())
        handle.writestr("__MACOSX/VolvoIT-Challenge/._VINST-new.csv", "junk")
    # when
    summary = tickets_import(format="events", path=archive, mapping="bpi2013-volvo-it")
    # then
    cases = {r[0] for r in rows[1:]}
    assert summary.events_created == len(rows) - 1
    assert summary.tickets_created == len(cases) == Ticket.objects.count()
    assert TicketEvent.objects.filter(status="awaiting_customer").exists()
    assert set(Ticket.objects.values_list("priority", flat=True)) <= {"P1", "P2", "P3", "P4"}
    first = Ticket.objects.get(external_id="1-364285768")
    assert first.source == "bpi2013" and first.opened_at.isoformat() == "2010-03-31T14:59:42+00:00"
    again = tickets_import(format="events", path=archive, mapping="bpi2013-volvo-it")
    assert (again.tickets_created, again.events_created) == (0, 0)


@pytest.mark.realdata
def test_helpdesk_slice_imports_and_closes_tickets(shared_data: Path, tmp_path: Path) -> None:
    rows = read_rows(shared_data / HELPDESK, limit=2000)
    path = write_csv(tmp_path / "helpdesk.csv", rows)
    summary = tickets_import(format="events", path=path, mapping="helpdesk-4tu")
    # 12 of these rows repeat an earlier row in every field (the log has 127 such rows)
    distinct = len({tuple(row) for row in rows[1:]})
    assert (summary.events_created, summary.duplicates_skipped) == (distinct, 2000 - distinct)
    assert summary.duplicates_skipped == 12
    closed = Ticket.objects.filter(status="closed")
    assert closed.exists()
    assert all(t.resolved_at is not None for t in closed)
    assert TicketEvent.objects.filter(status="awaiting_customer", source_status="Wait").exists()


@pytest.mark.realdata
def test_a_mapped_column_missing_from_the_file_is_named(shared_data: Path, tmp_path: Path) -> None:
    rows = read_rows(shared_data / HELPDESK, limit=10)
    rows[0][rows[0].index("Complete Timestamp")] = "Timestamp"
    path = write_csv(tmp_path / "renamed.csv", rows)
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="events", path=path, mapping="helpdesk-4tu")
    message = str(failure.value)
    assert "renamed.csv, line 1" in message
    assert "'Complete Timestamp' (columns.timestamp)" in message


XES = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
  <trace>
    <string key="concept:name" value="C1"/>
    <event><string key="concept:name" value="Open"/>
      <date key="time:timestamp" value="2024-03-01T08:00:00+01:00"/></event>
    <event><string key="concept:name" value="Wait"/>
      <date key="time:timestamp" value="2024-03-01T09:00:00+01:00"/></event>
    <event><string key="concept:name" value="Closed"/>
      <date key="time:timestamp" value="2024-03-01T12:00:00+01:00"/></event>
  </trace>
  <trace>
    <string key="concept:name" value="C2"/>
    <event><string key="concept:name" value="Open"/>
      <date key="time:timestamp" value="2024-03-02T08:00:00+01:00"/></event>
  </trace>
</log>
"""
XES_MAPPING = """
format = "events"
source = "xes-test"
[columns]
id = "case:concept:name"
timestamp = "time:timestamp"
status = "concept:name"
[statuses]
pause = ["Wait"]
stop = ["Closed"]
"""


def test_xes_log_imports(tmp_path: Path) -> None:
    (tmp_path / "log.xes").write_text(XES, encoding="utf-8")
    (tmp_path / "map.toml").write_text(XES_MAPPING, encoding="utf-8")
    summary = tickets_import(
        format="events", path=tmp_path / "log.xes", mapping=str(tmp_path / "map.toml")
    )
    assert (summary.tickets_created, summary.events_created) == (2, 4)
    c1 = Ticket.objects.get(external_id="C1")
    assert c1.status == "closed" and c1.closed_at is not None
    assert list(c1.events.values_list("status", flat=True)) == [
        "new",
        "awaiting_customer",
        "closed",
    ]
