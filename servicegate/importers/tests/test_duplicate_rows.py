"""A row identical to an earlier row of the file adds nothing and is counted in the summary.

Every reader (ServiceNow column by column and row by row, event logs with a mapping,
ticket CSVs) keeps a 16-byte digest per distinct row, never the row's text, so that a
file of many identical rows stays small in memory; importing the same file again adds
no event.
"""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from servicegate.importers import servicenow
from servicegate.importers.staging import Staging
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.operations.services import tickets_import

pytestmark = pytest.mark.django_db

COLUMNS = (
    "number,incident_state,sys_updated_at,opened_at,resolved_at,closed_at,reassignment_count,"
    "reopen_count,made_sla,priority,assignment_group,assigned_to,category,contact_type"
)
ROWS = [
    "INC1,New,1/3/2016 09:05,1/3/2016 09:00,?,?,0,0,true,2 - High,Group 1,?,Category 1,Phone",
    "INC1,Active,1/3/2016 10:00,1/3/2016 09:00,?,?,0,0,true,2 - High,Group 1,Res 1,Category 1,"
    "Phone",
    "INC2,New,2/3/2016 08:00,2/3/2016 08:00,?,?,0,0,true,3 - Moderate,Group 2,?,Category 2,Email",
]
# The header decides the reader: plain (column by column), quoted (row by row), or
# without the optional columns (row by row, the careful loop).
HEADERS = {
    "columns": COLUMNS,
    "rows": ",".join(f'"{name}"' for name in COLUMNS.split(",")),
}
MINIMAL = "number,incident_state,sys_updated_at,opened_at"
# Python memory at most: the column reader splits one 16 MB block into lines at a time,
# the row reader holds a digest per distinct row (without them: hundreds of MB).
PEAK = {"columns": 96 << 20, "rows": 8 << 20}


def _zip(path: Path, header: str, lines: list[str]) -> Path:
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("log.csv", "w") as out,
    ):
        out.write((header + "\n").encode())
        for line in lines:
            out.write((line + "\n").encode())
    return path


def _events() -> list[tuple[Any, ...]]:
    return list(
        TicketEvent.objects.order_by("ticket__external_id", "seq").values_list(
            "ticket__external_id", "seq", "at", "status", "source_status", "priority"
        )
    )


@pytest.mark.parametrize("reader", HEADERS)
def test_many_identical_rows_become_one_event(tmp_path: Path, reader: str) -> None:
    # given 200,000 copies of one row (a zip of a few hundred kilobytes)
    path = _zip(tmp_path / "same.zip", HEADERS[reader], [ROWS[0]] * 200_000)
    # when it is imported
    tracemalloc.start()
    try:
        summary = tickets_import(format="servicenow", path=path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # then one ticket with one event, the repetitions counted and little memory used
    assert (summary.rows, summary.tickets_created, summary.events_created) == (200_000, 1, 1)
    assert summary.duplicates_skipped == 199_999
    assert TicketEvent.objects.count() == 1
    assert peak < PEAK[reader], f"{peak / 2**20:.0f} MB"


def test_the_careful_reader_skips_identical_rows_too(tmp_path: Path) -> None:
    lines = ["INC1,New,1/3/2016 09:05,1/3/2016 09:00"] * 500
    lines += ["INC1,Active,1/3/2016 10:00,1/3/2016 09:00"] * 3
    summary = tickets_import(format="servicenow", path=_zip(tmp_path / "m.zip", MINIMAL, lines))
    assert (summary.events_created, summary.duplicates_skipped) == (2, 501)


@pytest.mark.parametrize("reader", HEADERS)
def test_only_identical_rows_collapse(tmp_path: Path, reader: str) -> None:
    # a row that differs in one field only (the reassignment count) is a row of its own
    other = ROWS[1].replace(",0,0,true,", ",1,0,true,")
    lines = [ROWS[0], ROWS[1], ROWS[0], ROWS[2], other, ROWS[1], ROWS[2]]
    summary = tickets_import(
        format="servicenow", path=_zip(tmp_path / "x.zip", HEADERS[reader], lines)
    )
    assert summary.duplicates_skipped == 3
    assert summary.events_created == TicketEvent.objects.count() == 4
    assert Ticket.objects.get(external_id="INC1").reassignment_count == 1


def test_both_readers_store_the_same_events(tmp_path: Path) -> None:
    lines = [ROWS[i % 3] for i in range(30)] + [ROWS[1].replace("Res 1", "Res 2")]
    stored = {}
    for reader, header in HEADERS.items():
        TicketEvent.objects.all().delete()
        Ticket.objects.all().delete()
        summary = tickets_import(
            format="servicenow", path=_zip(tmp_path / f"{reader}.zip", header, lines)
        )
        assert summary.duplicates_skipped == 27
        stored[reader] = _events()
    assert stored["columns"] == stored["rows"] and len(stored["rows"]) == 4


def test_the_column_reader_keeps_the_lines_of_the_distinct_rows(tmp_path: Path) -> None:
    lines = [ROWS[0]] * 5 + [ROWS[2]] + [ROWS[0]] * 5 + [ROWS[1]]
    staging: Staging = servicenow.parse(_zip(tmp_path / "l.zip", COLUMNS, lines))
    assert staging.columns is not None and staging.duplicates == 9
    staging.columns.stage(staging)
    # INC1's latest row (by time) is ROWS[1] on line 13, INC2's its only row on line 7
    assert {t.external_id: t.line for t in staging.tickets.values()} == {"INC1": 13, "INC2": 7}


@pytest.mark.parametrize("reader", HEADERS)
def test_importing_the_same_file_again_adds_no_event(tmp_path: Path, reader: str) -> None:
    path = _zip(tmp_path / "again.zip", HEADERS[reader], ROWS * 1000)
    first = tickets_import(format="servicenow", path=path)
    second = tickets_import(format="servicenow", path=path)
    assert (first.events_created, first.duplicates_skipped) == (3, 2997)
    assert (second.tickets_created, second.tickets_updated, second.events_created) == (0, 0, 0)
    assert second.duplicates_skipped == 2997 and TicketEvent.objects.count() == 3


def test_event_logs_with_a_mapping_skip_identical_rows(tmp_path: Path) -> None:
    path = tmp_path / "helpdesk.csv"
    header = "Case ID,Activity,Resource,Complete Timestamp,workgroup,service_type\n"
    row = "Case 1,Insert ticket,Value 1,2012/10/09 14:50:17.000,Group 1,Type 1\n"
    later = "Case 1,Closed,Value 1,2012/10/10 09:00:00.000,Group 1,Type 1\n"
    path.write_text(header + row * 1000 + later * 2)
    summary = tickets_import(format="events", path=path, mapping="helpdesk-4tu")
    again = tickets_import(format="events", path=path, mapping="helpdesk-4tu")
    assert (summary.events_created, summary.duplicates_skipped) == (2, 1000)
    assert (again.events_created, again.duplicates_skipped) == (0, 1000)
    assert TicketEvent.objects.count() == 2


def test_ticket_csv_skips_identical_rows(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    header = "Unique Key,Created Date,Closed Date,Status,Agency,Complaint Type,Due Date\n"
    row = "1,01/01/2020 10:00:00 AM,01/02/2020 10:00:00 AM,Closed,NYPD,Noise,\n"
    path.write_text(header + row * 50 + "2,01/03/2020 10:00:00 AM,,Open,NYPD,Noise,\n")
    summary = tickets_import(format="tickets", path=path, mapping="nyc-311")
    assert (summary.tickets_created, summary.duplicates_skipped) == (2, 49)


def test_the_command_says_how_many_identical_rows_it_skipped(tmp_path: Path) -> None:
    path = _zip(tmp_path / "cli.zip", COLUMNS, [ROWS[0]] * 5 + [ROWS[2]])
    out = StringIO()
    call_command("import", "servicenow", str(path), stdout=out)
    assert "4 identical duplicate rows skipped." in out.getvalue()
    out = StringIO()
    call_command("import", "servicenow", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["duplicates_skipped"] == 4


def test_the_import_page_says_how_many_identical_rows_it_skipped(
    bob: Any, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    client = Client()
    client.force_login(bob)
    content = "\n".join([COLUMNS, *[ROWS[0]] * 3, ROWS[2]]) + "\n"
    upload = SimpleUploadedFile("incidents.csv", content.encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/operations/import/", {"format": "servicenow", "file": upload})
    page = client.get(response["Location"])
    assert b"2 identical duplicate rows skipped." in page.content
