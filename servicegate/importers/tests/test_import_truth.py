"""Imports tell the truth of the file: latest event by time, impossible rows refused,
open rows not closed, unmapped statuses named, due dates kept, column lists bounded."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from servicegate.importers import events
from servicegate.importers.errors import ImportFailure
from servicegate.importers.mapping import load
from servicegate.importers.staging import Staging
from servicegate.importers.tests.conftest import HELPDESK, NYC, UCI, read_rows, write_csv
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.operations.services import tickets_import

pytestmark = pytest.mark.django_db

EVENT_MAPPING = """
format = "events"
source = "truth"
[columns]
id = "case"
timestamp = "at"
status = "status"
priority = "prio"
group = "team"
[statuses.map]
Open = "new"
Work = "in_progress"
Done = "closed"
"""
TICKET_MAPPING = """
format = "tickets"
source = "truthtickets"
[columns]
id = "id"
opened = "opened"
closed = "closed"
status = "status"
due = "due"
[statuses.map]
Open = "new"
Pending = "awaiting_customer"
Closed = "closed"
"""


def _mapping(tmp_path: Path, text: str, extra: str = "") -> str:
    path = tmp_path / "map.toml"
    path.write_text(text + extra, encoding="utf-8")
    return str(path)


def _fields(ticket: Ticket) -> tuple[object, ...]:
    return (ticket.priority, ticket.assignment_group, ticket.category, ticket.status)


# ----------------------------------------------------------- latest event by time


def test_ticket_fields_follow_the_latest_event_not_the_last_row(tmp_path: Path) -> None:
    rows = [
        ["case", "at", "status", "prio", "team"],
        ["C1", "2026-03-02T12:00:00Z", "Done", "P2", "Second line"],
        ["C1", "2026-03-02T08:00:00Z", "Open", "P4", "Dispatch"],  # earlier, but last in file
    ]
    path = write_csv(tmp_path / "log.csv", rows)
    tickets_import(format="events", path=path, mapping=_mapping(tmp_path, EVENT_MAPPING))
    ticket = Ticket.objects.get()
    assert (ticket.priority, ticket.assignment_group, ticket.status) == (
        "P2",
        "Second line",
        "closed",
    )


@pytest.mark.realdata
def test_a_shuffled_helpdesk_log_gives_the_same_tickets(shared_data: Path, tmp_path: Path) -> None:
    rows = read_rows(shared_data / HELPDESK)
    body = rows[1:]
    random.Random(13).shuffle(body)
    mapping = load("helpdesk-4tu", expected_format="events")
    ordered = events.parse(shared_data / HELPDESK, mapping=mapping)
    shuffled = events.parse(write_csv(tmp_path / "shuffled.csv", [rows[0], *body]), mapping=mapping)
    assert ordered.tickets.keys() == shuffled.tickets.keys()

    def fields(staging: Staging) -> dict[str, tuple[str, ...]]:
        return {
            key: (t.priority, t.category, t.assignment_group, t.resource, t.status)
            for key, t in staging.tickets.items()
        }

    assert fields(ordered) == fields(shuffled)


# ------------------------------------------------------------- impossible rows


def test_a_request_closed_before_it_was_created_is_a_row_error(tmp_path: Path) -> None:
    rows = [
        ["id", "opened", "closed", "status", "due"],
        ["R1", "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z", "Closed", ""],
        ["R2", "2026-03-02T08:00:00Z", "2026-03-01T09:00:00Z", "Closed", ""],
    ]
    path = write_csv(tmp_path / "requests.csv", rows)
    mapping = _mapping(tmp_path, TICKET_MAPPING)
    for language, words in (("en", "lies before the opening"), ("de", "liegt vor der Eröffnung")):
        with translation.override(language), pytest.raises(ImportFailure) as failure:
            tickets_import(format="tickets", path=path, mapping=mapping)
        message = str(failure.value)
        assert "requests.csv, line 3, column 'closed'" in message or (
            "requests.csv, Zeile 3, Spalte 'closed'" in message
        )
        assert words in message and "2026-03-01T09:00:00Z" in message
    assert not Ticket.objects.exists()  # all or nothing
    summary = tickets_import(format="tickets", path=path, mapping=mapping, skip_invalid=True)
    assert (summary.tickets_created, summary.rejected) == (1, 1)


# ---------------------------------------------------------- open rows stay open


def test_a_row_whose_status_is_not_closed_gets_no_closed_event(tmp_path: Path) -> None:
    rows = [
        ["id", "opened", "closed", "status", "due"],
        ["R1", "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z", "Pending", ""],
        ["R2", "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z", "Closed", ""],
    ]
    path = write_csv(tmp_path / "requests.csv", rows)
    tickets_import(format="tickets", path=path, mapping=_mapping(tmp_path, TICKET_MAPPING))
    pending, closed = Ticket.objects.order_by("external_id")
    assert (pending.status, pending.closed_at, pending.resolved_at) == (
        "awaiting_customer",
        None,
        None,
    )
    assert list(pending.events.values_list("status", flat=True)) == ["new"]
    assert list(closed.events.values_list("status", flat=True)) == ["new", "closed"]


@pytest.mark.realdata
def test_nyc_requests_still_open_are_not_closed(shared_data: Path) -> None:
    """31 requests are not closed; 10 of them were "closed" before they were created and
    are rejected, 7 of the others carry a closed date that must not close them."""
    tickets_import(format="tickets", path=shared_data / NYC, mapping="nyc-311", skip_invalid=True)
    still_open = Ticket.objects.exclude(status="closed")
    assert still_open.count() == 21
    assert not TicketEvent.objects.filter(ticket__in=still_open, status="closed").exists()
    assert not still_open.filter(closed_at__isnull=False).exists()


# ------------------------------------------------------------ unmapped statuses


def test_unmapped_statuses_are_listed_in_the_error(tmp_path: Path) -> None:
    rows = [
        ["case", "at", "status", "prio", "team"],
        ["C1", "2026-03-02T08:00:00Z", "Open", "P2", "A"],
        ["C1", "2026-03-02T09:00:00Z", "Escalated", "P2", "A"],
        ["C2", "2026-03-02T08:00:00Z", "Parked", "P2", "A"],
    ]
    path = write_csv(tmp_path / "log.csv", rows)
    mapping = _mapping(tmp_path, EVENT_MAPPING)
    for language, words in (("en", "is not in the mapping"), ("de", "nicht enthalten")):
        with translation.override(language), pytest.raises(ImportFailure) as failure:
            tickets_import(format="events", path=path, mapping=mapping)
        message = str(failure.value)
        assert "log.csv" in message and "'status'" in message and words in message
        assert "'Escalated', 'Parked'" in message and "map.toml" in message
    assert not Ticket.objects.exists()


def test_a_mapping_may_name_a_default_status(tmp_path: Path) -> None:
    rows = [
        ["case", "at", "status", "prio", "team"],
        ["C1", "2026-03-02T08:00:00Z", "Parked", "", ""],
    ]
    path = write_csv(tmp_path / "log.csv", rows)
    text = EVENT_MAPPING.replace(
        "[statuses.map]", '[statuses]\ndefault = "awaiting_internal"\n\n[statuses.map]'
    )
    mapping = _mapping(tmp_path, text)
    tickets_import(format="events", path=path, mapping=mapping)
    assert TicketEvent.objects.get().status == "awaiting_internal"


def test_a_default_that_is_no_status_is_refused(tmp_path: Path) -> None:
    text = EVENT_MAPPING.replace(
        "[statuses.map]", '[statuses]\ndefault = "parked"\n\n[statuses.map]'
    )
    with pytest.raises(ImportFailure, match=r"statuses\.default 'parked' is not a status"):
        load(_mapping(tmp_path, text), expected_format="events")


# ---------------------------------------------------------------------- due dates


def test_a_due_date_column_becomes_the_tickets_deadline(tmp_path: Path, bob: User) -> None:
    rows = [
        ["id", "opened", "closed", "status", "due"],
        ["R1", "2026-03-02T08:00:00Z", "", "Open", "2026-03-04T08:00:00Z"],
        ["R2", "2026-03-02T08:00:00Z", "", "Open", ""],
    ]
    path = write_csv(tmp_path / "requests.csv", rows)
    tickets_import(format="tickets", path=path, mapping=_mapping(tmp_path, TICKET_MAPPING))
    due, none = Ticket.objects.order_by("external_id")
    assert due.due_at is not None and due.due_at.isoformat() == "2026-03-04T08:00:00+00:00"
    assert none.due_at is None
    client = Client()
    client.force_login(bob)
    assert client.get(f"/api/v1/tickets/{due.pk}").json()["due_at"] == "2026-03-04T08:00:00Z"
    with translation.override("de"):
        page = client.get(f"/operations/tickets/{due.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    assert (
        "Due (source)" in page.content.decode() or "Fällig (laut Quelle)" in page.content.decode()
    )
    assert due.events.count() == 1  # a due date is no event


# ----------------------------------------------------------- bounded column lists


def test_an_error_names_at_most_twenty_columns(tmp_path: Path) -> None:
    header = [f"c{i}" for i in range(100_000)]
    path = write_csv(tmp_path / "wide.csv", [header, ["x"] * len(header)])
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="tickets", path=path, mapping="nyc-311")
    message = str(failure.value)
    assert len(message) < 1_000
    assert "c0, c1," in message and "c19 and 99980 more" in message
    assert "c20," not in message


# ------------------------------------------------- ServiceNow: latest row by time


@pytest.mark.realdata
@pytest.mark.parametrize("reader", ["columns", "rows"])
def test_a_shuffled_servicenow_log_stores_the_same_tickets(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    """Ticket fields come from each incident's latest row by time, whatever the order.

    Incidents whose last minute holds several rows (Resolved and Closed at 17:47) are left
    out: rows at the same instant keep file order, and shuffling changes that order."""
    from collections import Counter

    from servicegate.importers import servicenow_columns

    rows = read_rows(shared_data / UCI, limit=5_000)
    number, at = rows[0].index("number"), rows[0].index("sys_updated_at")

    def minute(row: list[str]) -> datetime:
        return datetime.strptime(row[at], "%d/%m/%Y %H:%M")

    latest: dict[str, datetime] = {}
    for row in rows[1:]:
        latest[row[number]] = max(latest.get(row[number], datetime.min), minute(row))
    ties = Counter(row[number] for row in rows[1:] if minute(row) == latest[row[number]])
    clear = sorted(n for n, count in ties.items() if count == 1)
    body = rows[1:]
    random.Random(3).shuffle(body)
    ordered = write_csv(tmp_path / "ordered.csv", rows)
    shuffled = write_csv(tmp_path / "shuffled.csv", [rows[0], *body])
    if reader == "rows":
        monkeypatch.setattr(servicenow_columns, "read", lambda *args, **kwargs: None)
    fields = [f.name for f in Ticket._meta.get_fields() if f.concrete and f.name != "id"]
    stored = Ticket.objects.filter(external_id__in=clear).order_by("external_id")
    tickets_import(format="servicenow", path=ordered)
    before = list(stored.values_list(*fields))
    Ticket.objects.all().delete()
    tickets_import(format="servicenow", path=shuffled)
    assert len(before) > 500
    assert list(stored.values_list(*fields)) == before
