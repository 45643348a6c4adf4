"""ServiceNow incident event log (the UCI "incident management process" export).

One row per update of an incident. ``?`` marks a missing value. Timestamps look like
``29/2/2016 01:16`` (day/month/year, local time of the exporting instance); they are
read in the zone given with ``--timezone`` (default UTC, because the published log
does not say its zone) and stored as UTC. The event time is ``sys_updated_at``;
ticket fields (counts, ``made_sla``, resolved/closed instants) come from the
incident's latest row by that time (rows at the same instant: the later one in the
file), so the row order of the file does not matter.
"""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter
from pathlib import Path

from django.utils.translation import gettext as _

from servicegate.importers import servicenow_columns
from servicegate.importers.dates import DateParser, day_first_parser, reason, zone
from servicegate.importers.errors import ImportFailure, RowError, closest, not_a_flag
from servicegate.importers.reading import (
    PROGRESS_EVERY,
    ByteProgress,
    CsvInput,
    Source,
    gc_paused,
    open_source,
)
from servicegate.importers.servicenow_format import (
    CONTACT_CHANNEL,
    COUNT_COLUMNS,
    DATE_COLUMNS,
    FLAGS,
    KNOWN,
    MISSING,
    NO_NUMBER,
    OTHER,
    PLAIN_COLUMNS,
    REQUIRED,
    ROW_COLUMNS,
    SOURCE,
    STATUS_OF,
    TICKET_COLUMNS,
    priority_of,
)
from servicegate.importers.staging import Rejected, StagedEvent, StagedTicket, Staging

Located = tuple[list[str], int]  # a row and the line of the file it ends on


def parse(
    path: Path,
    *,
    timezone: str = "UTC",
    encoding: str = "utf-8-sig",
    progress: ByteProgress | None = None,
) -> Staging:
    """Read the event log at ``path`` (CSV or a zip holding it) into a staging.

    A regular UTF-8 file whose rows are all valid (the usual export) is read column by
    column (:mod:`.servicenow_columns`); any other file, or one with a problem, is read
    row by row with the csv module, which names the line and column of every problem.
    Both give the same tickets and events for the same valid file.
    """
    try:
        parse_date = day_first_parser(zone(timezone))
    except ValueError as exc:
        raise ImportFailure(str(exc)) from None
    with gc_paused(), open_source(path) as source:
        fast = servicenow_columns.read(
            source,
            columns=PLAIN_COLUMNS,
            encoding=encoding,
            parse_date=parse_date,
            checks=lambda header: _columns(source.name, header),
            progress=progress,
        )
        staging = Staging(file=source.name, source=SOURCE)
        if fast is not None:
            staging.header, staging.columns = fast
            staging.rows = staging.columns.rows
            staging.duplicates = staging.columns.duplicates
            return staging
        with source.reopen() as raw:
            again = Source(source.name, raw, source.size, source.reopen)
            log, last = _read_careful(staging, again, parse_date, encoding, progress)
        staging.tickets = log.tickets(last)
        staging.derive_from_events()
    return staging


def _read_careful(
    staging: Staging,
    source: Source,
    parse_date: DateParser,
    encoding: str,
    progress: ByteProgress | None,
) -> tuple[_Log, dict[str, Located]]:
    data = CsvInput(source, encoding=encoding)
    with data.guard():
        header = next(data.reader, [])
        col = _columns(source.name, header)
        staging.header = header
        log = _Log(col, parse_date)
        last = _read_rows(staging, log, data, progress)
    data.report(progress)
    return log, last


def _columns(name: str, header: list[str]) -> dict[str, int]:
    unknown = [c for c in header if c not in KNOWN]
    if unknown:
        raise ImportFailure(
            _(
                "%(file)s, line 1, column %(column)r: not a column of the ServiceNow incident"
                " event log.%(hint)s Rename the column, or import the file with"
                " `servicegate import events --mapping MAP.toml`."
            )
            % {"file": name, "column": unknown[0], "hint": closest(unknown[0], KNOWN)}
        )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailure(
            _(
                "%(file)s, line 1: the column %(column)r is missing; a ServiceNow incident"
                " event log needs %(required)s."
            )
            % {"file": name, "column": missing[0], "required": ", ".join(REQUIRED)}
        )
    return {c: i for i, c in enumerate(header)}


class _Log:
    """The checks and conversions of one log, with the column positions looked up once."""

    def __init__(self, col: dict[str, int], parse_date: DateParser) -> None:
        self.col = col
        self.width = len(col)
        self.parse_date = parse_date
        # Each date string is parsed (and so checked) only the first time it occurs.
        self.dates: dict[str, datetime] = {MISSING: None, "": None}  # type: ignore[dict-item]
        self.dated = [(name, col[name]) for name in DATE_COLUMNS if name in col]
        self.counted = [(name, col[name]) for name in COUNT_COLUMNS if name in col]
        self.required_dates = [(n, col[n]) for n in ("sys_updated_at", "opened_at") if n in col]
        self.i_number, self.i_sla = col["number"], col.get("made_sla", -1)
        self.priorities = _Priorities()

    def row_error(self, row: list[str]) -> tuple[str, str] | None:
        """``(column, reason)`` of the first problem of ``row``, or None if it is valid."""
        if len(row) != self.width:
            return "", _("has %(count)d fields, not %(expected)d") % {
                "count": len(row),
                "expected": self.width,
            }
        dates = self.dates
        for name, index in self.dated:
            value = row[index]
            if value not in dates:
                try:
                    dates[value] = self.parse_date(value)
                except ValueError as exc:
                    return name, _("cannot read the date %(value)r: %(reason)s") % {
                        "value": value,
                        "reason": reason(exc),
                    }
        for name, index in self.required_dates:
            if dates[row[index]] is None:
                return name, _("the date is missing; every update needs it")
        number = row[self.i_number]
        if not number or number == MISSING:
            return "number", _("the incident number is missing")
        for name, index in self.counted:
            value = row[index]
            if not (value.isascii() and value.isdigit()) and value != MISSING:
                return name, _("%(value)r is not a whole number of zero or more") % {"value": value}
        if self.i_sla >= 0 and row[self.i_sla].lower() not in FLAGS:
            return "made_sla", not_a_flag(row[self.i_sla])
        return None

    def event(self, row: list[str]) -> StagedEvent:
        """The event of a valid row (any columns)."""
        state = row[self.col["incident_state"]]
        return StagedEvent(
            self.dates[row[self.col["sys_updated_at"]]],
            STATUS_OF.get(state, OTHER),
            state,
            self.priorities[_value(row, self.col, "priority")],
            _value(row, self.col, "assignment_group"),
            _value(row, self.col, "assigned_to"),
        )

    def tickets(self, last: dict[str, Located]) -> dict[str, StagedTicket]:
        """Each incident's fields from its last valid row (already checked)."""
        col, width = self.col, self.width
        # A column the file lacks reads as the padding value MISSING, like "?".
        pick = itemgetter(*(col.get(name, width) for name in TICKET_COLUMNS))
        pad = not col.keys() >= set(TICKET_COLUMNS)
        date = self.dates.__getitem__
        tickets: dict[str, StagedTicket] = {}
        for number, (row, line) in last.items():
            (
                source_priority,
                made_sla,
                category,
                contact_type,
                group,
                resource,
                opened_at,
                resolved_at,
                closed_at,
                reassignment_count,
                reopen_count,
            ) = pick([*row, MISSING] if pad else row)
            source_priority = "" if source_priority == MISSING else source_priority
            tickets[number] = StagedTicket(
                external_id=number,
                line=line,
                number=number,
                priority=self.priorities[source_priority],
                source_priority=source_priority,
                category="" if category == MISSING else category,
                channel=CONTACT_CHANNEL.get(contact_type, "remote"),
                assignment_group="" if group == MISSING else group,
                resource="" if resource == MISSING else resource,
                opened_at=date(opened_at),
                resolved_at=date(resolved_at),
                closed_at=date(closed_at),
                reassignment_count=0 if reassignment_count == MISSING else int(reassignment_count),
                reopen_count=0 if reopen_count == MISSING else int(reopen_count),
                source_made_sla=FLAGS.get(made_sla.lower()),
            )
        return tickets


class _Priorities(dict[str, str]):
    """:func:`priority_of` of each distinct raw value, computed once."""

    def __missing__(self, raw: str) -> str:
        value = self[raw] = priority_of(raw)
        return value


def _read_rows(
    staging: Staging, log: _Log, data: CsvInput, progress: ByteProgress | None
) -> dict[str, Located]:
    """Stage every row's event; return each incident's last valid row, with its line."""
    if not log.col.keys() >= set(ROW_COLUMNS):
        return _read_any_rows(staging, log, data, progress)
    reader, events, width, dates = data.reader, staging.events, log.width, log.dates
    (
        i_number,
        i_state,
        i_at,
        i_opened,
        i_resolved,
        i_closed,
        i_reassigned,
        i_reopened,
        i_sla,
        i_priority,
        i_group,
        i_resource,
    ) = (log.col[c] for c in ROW_COLUMNS)
    # tuple.__new__(StagedEvent, values) builds the named tuple at C speed (its own
    # __new__ is a Python function: a tenth of this loop's time).
    status_of, priorities, new = STATUS_OF.get, log.priorities, tuple.__new__
    repeated = staging.repeats.repeated
    # Values seen to pass the checks of _Log.row_error: a row whose values are all
    # known needs no further check (the usual case), any other row gets all of them.
    counts, flags = {MISSING}, set()
    last: dict[str, tuple[list[str], datetime, int]] = {}
    # Rows of one incident usually follow each other: such a run appends to one list,
    # and only its latest row is kept for the incident's fields.
    number, run, kept, kept_at, line = "", [], None, datetime.min, 0
    count = 0
    for count, row in enumerate(reader, start=1):
        if not count % PROGRESS_EVERY:
            data.report(progress)
        if (
            len(row) != width
            or dates.get(row[i_at]) is None  # unseen, or missing: a required date
            or dates.get(row[i_opened]) is None
            or row[i_resolved] not in dates
            or row[i_closed] not in dates
            or row[i_reassigned] not in counts
            or row[i_reopened] not in counts
            or row[i_sla] not in flags
            or row[i_number] in NO_NUMBER
        ):
            error = log.row_error(row)
            if error is not None:
                _reject(staging, reader.line_num, *error, row)
                continue
            counts.add(row[i_reassigned])
            counts.add(row[i_reopened])
            flags.add(row[i_sla])
        if repeated(row):
            staging.duplicates += 1
            continue
        state, group, resource = row[i_state], row[i_group], row[i_resource]
        event = new(
            StagedEvent,
            (
                dates[row[i_at]],
                status_of(state, OTHER),
                state,
                priorities[row[i_priority]],
                "" if group == MISSING else group,
                "" if resource == MISSING else resource,
            ),
        )
        if row[i_number] != number:
            if kept is not None:
                _keep_latest(last, number, kept, kept_at, line)
            number, kept = row[i_number], None
            run = events.setdefault(number, [])
        run.append(event)
        if kept is None or event[0] >= kept_at:
            kept, kept_at, line = row, event[0], reader.line_num
    if kept is not None:
        _keep_latest(last, number, kept, kept_at, line)
    staging.rows += count
    return {number: (row, line) for number, (row, _at, line) in last.items()}


def _keep_latest(
    last: dict[str, tuple[list[str], datetime, int]],
    number: str,
    row: list[str],
    at: datetime,
    line: int,
) -> None:
    """Keep ``row`` as the incident's latest unless an earlier run had a later one."""
    seen = last.get(number)
    if seen is None or at >= seen[1]:
        last[number] = (row, at, line)


def _read_any_rows(
    staging: Staging, log: _Log, data: CsvInput, progress: ByteProgress | None
) -> dict[str, Located]:
    """:func:`_read_rows` for a file without some of the optional columns."""
    reader = data.reader
    last: dict[str, tuple[list[str], datetime, int]] = {}
    for row in reader:
        staging.rows += 1
        if staging.rows % PROGRESS_EVERY == 0:
            data.report(progress)
        error = log.row_error(row)
        if error is not None:
            _reject(staging, reader.line_num, *error, row)
            continue
        if staging.repeats.repeated(row):
            staging.duplicates += 1
            continue
        number = row[log.i_number]
        event = log.event(row)
        staging.events.setdefault(number, []).append(event)
        _keep_latest(last, number, row, event.at, reader.line_num)
    return {number: (row, line) for number, (row, _at, line) in last.items()}


def _reject(staging: Staging, line: int, column: str, reason: str, row: list[str]) -> None:
    error = RowError(staging.file, line, column, reason)
    staging.errors.append(error)
    staging.rejected.append(Rejected(error, row))


def _value(row: list[str], col: dict[str, int], name: str) -> str:
    index = col.get(name)
    if index is None:
        return ""
    value = row[index]
    return "" if value == MISSING else value
