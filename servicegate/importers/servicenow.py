"""ServiceNow incident event log (the UCI "incident management process" export).

One row per update of an incident. ``?`` marks a missing value. Timestamps look like
``29/2/2016 01:16`` (day/month/year, local time of the exporting instance); they are
read in the zone given with ``--timezone`` (default UTC, because the published log
does not say its zone) and stored as UTC. The event time is ``sys_updated_at``;
ticket fields (counts, ``made_sla``, resolved/closed instants) come from the
incident's last row in the file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from servicegate.importers.dates import DateParser, day_first_parser, zone
from servicegate.importers.errors import ImportFailure, RowError, closest
from servicegate.importers.reading import PROGRESS_EVERY, ByteProgress, CsvInput, open_source
from servicegate.importers.staging import Rejected, StagedEvent, StagedTicket, Staging
from servicegate.operations.choices import TicketStatus

SOURCE = "servicenow"
MISSING = "?"

STATES: dict[str, str] = {
    "New": TicketStatus.NEW,
    "Active": TicketStatus.IN_PROGRESS,
    "In Progress": TicketStatus.IN_PROGRESS,
    "Awaiting User Info": TicketStatus.AWAITING_CUSTOMER,
    "Awaiting Evidence": TicketStatus.AWAITING_CUSTOMER,
    "Awaiting Vendor": TicketStatus.AWAITING_VENDOR,
    "Awaiting Problem": TicketStatus.AWAITING_INTERNAL,
    "On Hold": TicketStatus.AWAITING_CUSTOMER,
    "Resolved": TicketStatus.RESOLVED,
    "Closed": TicketStatus.CLOSED,
    "Canceled": TicketStatus.CANCELLED,
    "Cancelled": TicketStatus.CANCELLED,
}
CONTACT_CHANNEL = {"Direct opening": "on_site"}

DATE_COLUMNS = ("sys_updated_at", "opened_at", "resolved_at", "closed_at")
COUNT_COLUMNS = ("reassignment_count", "reopen_count")
FLAGS: dict[str, bool | None] = {"true": True, "false": False, "": None, "?": None}
REQUIRED = ("number", "incident_state", "sys_updated_at", "opened_at")
# The 36 columns of the ServiceNow incident export, in its order.
KNOWN = (
    "number",
    "incident_state",
    "active",
    "reassignment_count",
    "reopen_count",
    "sys_mod_count",
    "made_sla",
    "caller_id",
    "opened_by",
    "opened_at",
    "sys_created_by",
    "sys_created_at",
    "sys_updated_by",
    "sys_updated_at",
    "contact_type",
    "location",
    "category",
    "subcategory",
    "u_symptom",
    "cmdb_ci",
    "impact",
    "urgency",
    "priority",
    "assignment_group",
    "assigned_to",
    "knowledge",
    "u_priority_confirmation",
    "notify",
    "problem_id",
    "rfc",
    "vendor",
    "caused_by",
    "closed_code",
    "resolved_by",
    "resolved_at",
    "closed_at",
)


def priority_of(raw: str) -> str:
    """``"3 - Moderate"`` → ``"P3"``; anything else → ``""`` (the raw value is kept)."""
    head = raw[:1]
    return f"P{head}" if head in {"1", "2", "3", "4"} else ""


def parse(
    path: Path,
    *,
    timezone: str = "UTC",
    encoding: str = "utf-8-sig",
    progress: ByteProgress | None = None,
) -> Staging:
    """Read the event log at ``path`` (CSV or a zip holding it) into a staging."""
    try:
        parse_date = day_first_parser(zone(timezone))
    except ValueError as exc:
        raise ImportFailure(str(exc)) from None
    with open_source(path) as source:
        staging = Staging(file=source.name, source=SOURCE)
        data = CsvInput(source, encoding=encoding)
        with data.guard():
            header = next(data.reader, [])
            col = _columns(source.name, header)
            staging.header = header
            last = _read_rows(staging, col, data, parse_date, progress)
        data.report(progress)
    for number, (line, row) in last.items():
        staging.tickets[number] = _ticket(col, number, line, row, parse_date)
    staging.derive_from_events()
    return staging


def _columns(name: str, header: list[str]) -> dict[str, int]:
    unknown = [c for c in header if c not in KNOWN]
    if unknown:
        raise ImportFailure(
            f"{name}, line 1, column {unknown[0]!r}: not a column of the ServiceNow incident"
            f" event log.{closest(unknown[0], KNOWN)} Rename the column, or import the file"
            " with `servicegate import events --mapping MAP.toml`."
        )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailure(
            f"{name}, line 1: the column {missing[0]!r} is missing; a ServiceNow incident"
            f" event log needs {', '.join(REQUIRED)}."
        )
    return {c: i for i, c in enumerate(header)}


def _read_rows(
    staging: Staging,
    col: dict[str, int],
    data: CsvInput,
    parse_date: DateParser,
    progress: ByteProgress | None,
) -> dict[str, tuple[int, list[str]]]:
    """Stage every row's event; return each incident's last valid row (for its fields).

    This loop runs once per row of a large log, so it stays flat: positions are looked
    up once, and a date string is parsed (and so checked) only the first time it occurs.
    """
    width = len(col)
    i_number, i_state, i_at = col["number"], col["incident_state"], col["sys_updated_at"]
    i_priority, i_group, i_resource = (
        col.get(c, -1) for c in ("priority", "assignment_group", "assigned_to")
    )
    dated = [(name, col[name]) for name in DATE_COLUMNS if name in col]
    counted = [(name, col[name]) for name in COUNT_COLUMNS if name in col]
    i_sla = col.get("made_sla", -1)
    dates: dict[str, datetime] = {MISSING: None, "": None}  # type: ignore[dict-item]
    events = staging.events
    last: dict[str, tuple[int, list[str]]] = {}
    reader = data.reader
    for row in reader:
        staging.rows += 1
        if staging.rows % PROGRESS_EVERY == 0:
            data.report(progress)
        if len(row) != width:
            _reject(staging, reader.line_num, "", f"has {len(row)} fields, not {width}", row)
            continue
        number = row[i_number]
        column = reason = ""
        for name, index in dated:
            value = row[index]
            if value not in dates:
                try:
                    dates[value] = parse_date(value)
                except ValueError as exc:
                    column, reason = name, f"cannot read the date {value!r}: {exc}"
                    break
        if not reason:
            if not number or number == MISSING:
                column, reason = "number", "the incident number is missing"
            else:
                for name, index in counted:
                    value = row[index]
                    if not value.isdigit() and value != MISSING:
                        column, reason = name, f"{value!r} is not a whole number of zero or more"
                        break
                else:
                    if i_sla >= 0 and row[i_sla].lower() not in FLAGS:
                        column, reason = "made_sla", f"expected true or false, not {row[i_sla]!r}"
        if reason:
            _reject(staging, reader.line_num, column, reason, row)
            continue
        state = row[i_state]
        source_priority = row[i_priority] if i_priority >= 0 else ""
        group = row[i_group] if i_group >= 0 else ""
        resource = row[i_resource] if i_resource >= 0 else ""
        event = StagedEvent(
            dates[row[i_at]],
            STATES.get(state, TicketStatus.OTHER),
            state,
            priority_of(source_priority),
            "" if group == MISSING else group,
            "" if resource == MISSING else resource,
        )
        found = events.get(number)
        if found is None:
            events[number] = [event]
        else:
            found.append(event)
        last[number] = (reader.line_num, row)
    return last


def _reject(staging: Staging, line: int, column: str, reason: str, row: list[str]) -> None:
    error = RowError(staging.file, line, column, reason)
    staging.errors.append(error)
    staging.rejected.append(Rejected(error, row))


def _ticket(
    col: dict[str, int], number: str, line: int, row: list[str], parse_date: DateParser
) -> StagedTicket:
    """The incident's fields from its last row (already checked by ``_check``)."""
    source_priority = _value(row, col, "priority")
    made_sla = _value(row, col, "made_sla").lower()
    return StagedTicket(
        external_id=number,
        line=line,
        number=number,
        priority=priority_of(source_priority),
        source_priority=source_priority,
        category=_value(row, col, "category"),
        channel=CONTACT_CHANNEL.get(_value(row, col, "contact_type"), "remote"),
        assignment_group=_value(row, col, "assignment_group"),
        resource=_value(row, col, "assigned_to"),
        opened_at=_optional_date(row, col, "opened_at", parse_date),
        resolved_at=_optional_date(row, col, "resolved_at", parse_date),
        closed_at=_optional_date(row, col, "closed_at", parse_date),
        reassignment_count=int(_value(row, col, "reassignment_count") or 0),
        reopen_count=int(_value(row, col, "reopen_count") or 0),
        source_made_sla=FLAGS.get(made_sla),
    )


def _value(row: list[str], col: dict[str, int], name: str) -> str:
    index = col.get(name)
    if index is None:
        return ""
    value = row[index]
    return "" if value == MISSING else value


def _optional_date(
    row: list[str], col: dict[str, int], name: str, parse_date: DateParser
) -> datetime | None:
    value = _value(row, col, name)
    return parse_date(value) if value else None
