"""The column-wise reader of ServiceNow logs stores exactly what the row reader stores."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from servicegate.importers import servicenow, servicenow_columns, writer
from servicegate.importers.reading import open_source
from servicegate.importers.staging import Staging
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.operations.services import tickets_import

from .conftest import write_csv

pytestmark = [pytest.mark.realdata]

TICKET_FIELDS = [f.name for f in Ticket._meta.get_fields() if f.concrete and f.name not in {"id"}]
# The writer's columns, with the ticket named by its number (ids differ between runs).
EVENT_FIELDS = ["ticket__external_id", *writer.EVENT_FIELDS[1:]]


@pytest.fixture
def shuffled(uci_rows: Callable[[int], list[list[str]]], tmp_path: Path) -> Path:
    """20,000 rows of the UCI log in random order: incidents interleave, times tie."""
    rows = uci_rows(20_000)
    data = rows[1:]
    random.Random(7).shuffle(data)
    return write_csv(tmp_path / "shuffled.csv", [rows[0], *data])


def _row_reader_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servicenow_columns, "read", lambda *args, **kwargs: None)


def _stored() -> tuple[list[Any], list[Any]]:
    tickets = list(Ticket.objects.order_by("external_id").values_list(*TICKET_FIELDS))
    events = list(
        TicketEvent.objects.order_by("ticket__external_id", "seq").values_list(*EVENT_FIELDS)
    )
    return tickets, events


def test_the_column_reader_reads_a_regular_export(shuffled: Path) -> None:
    staging = servicenow.parse(shuffled)
    assert staging.columns is not None
    assert staging.rows == 20_000 and not staging.errors


@pytest.mark.django_db
def test_a_first_import_stores_what_the_row_reader_stores(
    shuffled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the same file imported by the column reader, then by the row reader
    fast = tickets_import(format="servicenow", path=shuffled)
    by_columns = _stored()
    Ticket.objects.all().delete()
    _row_reader_only(monkeypatch)
    slow = tickets_import(format="servicenow", path=shuffled)
    # then
    assert fast.tickets_created == slow.tickets_created
    assert fast.events_created == slow.events_created == 20_000
    assert by_columns == _stored()


def test_staged_columns_equal_the_row_readers_staging(
    shuffled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = servicenow.parse(shuffled)
    assert columns.columns is not None
    staged = Staging(file=columns.file, source=columns.source)
    columns.columns.stage(staged)
    _row_reader_only(monkeypatch)
    rows = servicenow.parse(shuffled)
    assert rows.columns is None
    assert staged.tickets == rows.tickets
    assert staged.events == rows.events


@pytest.mark.django_db
def test_a_second_import_compares_with_the_stored_tickets(
    uci_rows: Callable[[int], list[list[str]]], tmp_path: Path
) -> None:
    # given: the first 1,000 rows stored, then the first 3,000 imported
    rows = uci_rows(3000)
    first = write_csv(tmp_path / "first.csv", rows[:1001])
    more = write_csv(tmp_path / "more.csv", rows)
    tickets_import(format="servicenow", path=first)
    before = TicketEvent.objects.count()
    # when
    summary = tickets_import(format="servicenow", path=more)
    # then: only the new rows' events are added, the known tickets are updated
    assert summary.events_created == 3000 - before == TicketEvent.objects.count() - before
    assert summary.tickets_updated > 0


@pytest.mark.parametrize(
    "text",
    [
        'number,incident_state\n"INC1,Active\n',  # a quote: not plain
        "number,incident_state\nINC1\n",  # too few fields
    ],
)
def test_irregular_files_go_to_the_row_reader(text: str, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(text, encoding="utf-8")
    with open_source(path) as source:
        got = servicenow_columns.read(
            source,
            columns=("number", "incident_state"),
            encoding="utf-8-sig",
            parse_date=lambda raw: None,  # type: ignore[arg-type,return-value]
            checks=lambda header: {n: i for i, n in enumerate(header)},
        )
    assert got is None
