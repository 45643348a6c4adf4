"""The ServiceNow event log, column by column (the fast path of :mod:`.servicenow`).

:func:`read` reads a regular UTF-8 log with :mod:`.arrow`, runs every check of the row
reader on the *distinct* values of each column, and derives tickets and events with
numpy: events sorted by ticket, then time, then file order; sequence numbers; each
ticket's fields from its latest row (by time), and status, response, resolution and
closing instants from its events, exactly as :func:`.staging.Staging.derive_from_events`
does. Any invalid value returns None; the caller then reads the file row by row, which
reports the bad rows (or skips them with --skip-invalid).

The result, a :class:`ColumnLog`, is what :func:`.writer.write` inserts directly when
the source has no tickets yet (a first import); otherwise it is turned into a
:class:`.staging.Staging` (:meth:`ColumnLog.stage`) and goes the row-wise way, which
compares with the stored tickets and events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings

from servicegate.importers import servicenow_format as fmt
from servicegate.importers.arrow import Column, header_line, read_columns
from servicegate.importers.dates import DateParser
from servicegate.importers.reading import ByteProgress, Source
from servicegate.importers.staging import ColumnLog, too_many_rows
from servicegate.operations.choices import STOP_STATUSES, TicketStatus


def read(
    source: Source,
    *,
    columns: tuple[str, ...],
    encoding: str,
    parse_date: DateParser,
    checks: Callable[[list[str]], dict[str, int]],
    progress: ByteProgress | None = None,
) -> tuple[list[str], ColumnLog] | None:
    """The header and the :class:`ColumnLog` of ``source``; None to read it row by row.

    ``checks(header)`` validates the header (raising ImportFailure like the row reader)
    and returns the column positions.
    """
    header = header_line(source, encoding)
    if header is None:
        return None
    present = checks(header)
    if not present.keys() >= set(columns):
        return None
    got = read_columns(source, header, columns, progress=progress)
    if got is None or not got.rows:
        return None
    col, rows = got.columns, got.rows
    if not fmt.NO_NUMBER.isdisjoint(col["number"].values):
        return None
    dates = _dates(col, parse_date)
    counts = _counts(col)
    made_sla = _flags(col["made_sla"].values)
    if dates is None or counts is None or made_sla is None:
        return None
    log = ColumnLog(rows=rows + got.duplicates, duplicates=got.duplicates)
    order, starts, ends, last_row = _arrange(col, dates["sys_updated_at"])
    per_ticket = ends - starts + 1
    busiest = int(np.argmax(per_ticket))
    limit = settings.SERVICEGATE_IMPORT_MAX_ROWS_PER_TICKET
    if per_ticket[busiest] > limit:
        number = col["number"].values[busiest]
        raise too_many_rows(source.name, number, int(per_ticket[busiest]), limit)
    states = col["incident_state"]
    status_of = [fmt.STATUS_OF.get(s, fmt.OTHER) for s in states.values]
    status_codes = states.codes[order]
    at_values = dates["sys_updated_at"]
    at = list(map(at_values.__getitem__, col["sys_updated_at"].codes[order].tolist()))
    log.events = {
        "ticket": np.repeat(np.arange(len(starts)), ends - starts + 1).tolist(),
        "seq": (np.arange(rows) - np.repeat(starts, ends - starts + 1) + 1).tolist(),
        "at": at,
        "status": list(map(status_of.__getitem__, status_codes.tolist())),
        "source_status": states.expand(order),
        "priority": _mapped(col["priority"], fmt.priority_of, order),
        "assignment_group": _mapped(col["assignment_group"], _unmiss, order),
        "resource": _mapped(col["assigned_to"], _unmiss, order),
    }
    last = {name: c.codes[last_row].tolist() for name, c in col.items()}

    def pick(name: str, values: list[Any]) -> list[Any]:
        return list(map(values.__getitem__, last[name]))

    priorities = col["priority"].values
    log.tickets = {
        "external_id": pick("number", col["number"].values),
        "line": (got.positions[last_row] + 2).tolist(),
        "priority": pick("priority", [fmt.priority_of(v) for v in priorities]),
        "source_priority": pick("priority", [_unmiss(v) for v in priorities]),
        "category": pick("category", [_unmiss(v) for v in col["category"].values]),
        "channel": pick(
            "contact_type",
            [fmt.CONTACT_CHANNEL.get(v, "remote") for v in col["contact_type"].values],
        ),
        "assignment_group": pick("assignment_group", _values(col["assignment_group"])),
        "resource": pick("assigned_to", _values(col["assigned_to"])),
        "opened_at": pick("opened_at", dates["opened_at"]),
        "resolved_at": pick("resolved_at", dates["resolved_at"]),
        "closed_at": pick("closed_at", dates["closed_at"]),
        "reassignment_count": pick("reassignment_count", counts["reassignment_count"]),
        "reopen_count": pick("reopen_count", counts["reopen_count"]),
        "source_made_sla": pick("made_sla", made_sla),
    }
    log.derived = _derive(log, status_of, status_codes, starts, ends)
    return header, log


def _unmiss(value: str) -> str:
    return "" if value == "?" else value


def _values(column: Column) -> list[str]:
    return [_unmiss(v) for v in column.values]


def _mapped(column: Column, convert: Callable[[str], Any], order: np.ndarray) -> list[Any]:
    values = [convert(v) for v in column.values]
    return list(map(values.__getitem__, column.codes[order].tolist()))


def _dates(col: dict[str, Column], parse_date: DateParser) -> dict[str, list[Any]] | None:
    """Each date column's distinct values parsed (None for missing); None if one fails."""
    parsed: dict[str, list[Any]] = {}
    for name in fmt.DATE_COLUMNS:
        values = col[name].values
        if name in fmt.REQUIRED and not fmt.NO_NUMBER.isdisjoint(values):
            return None  # a required date is missing
        try:
            parsed[name] = [None if v in fmt.NO_NUMBER else parse_date(v) for v in values]
        except ValueError:
            return None
    return parsed


def _counts(col: dict[str, Column]) -> dict[str, list[int]] | None:
    counts: dict[str, list[int]] = {}
    for name in fmt.COUNT_COLUMNS:
        values = col[name].values
        if not all(v == fmt.MISSING or (v.isascii() and v.isdigit()) for v in values):
            return None
        counts[name] = [0 if v == fmt.MISSING else int(v) for v in values]
    return counts


def _flags(values: list[str]) -> list[bool | None] | None:
    if not all(v.lower() in fmt.FLAGS for v in values):
        return None
    return [fmt.FLAGS[v.lower()] for v in values]


def _arrange(
    col: dict[str, Column], at_values: list[datetime]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Event order (ticket, time, file order), each ticket's first and last event in it,
    and each ticket's latest row (by time, then file order)."""
    tickets = col["number"].codes.astype(np.int64)
    count = len(col["number"].values)
    stamps = np.array([v.timestamp() for v in at_values])
    rank = np.unique(stamps, return_inverse=True)[1].astype(np.int64)
    key = tickets * (len(stamps) + 1) + rank[col["sys_updated_at"].codes]
    order = np.argsort(key, kind="stable")
    per_ticket = np.bincount(tickets, minlength=count)
    ends = np.cumsum(per_ticket) - 1
    starts = ends - per_ticket + 1
    return order, starts, ends, order[ends]


def _derive(
    log: ColumnLog,
    status_of: list[str],
    status_codes: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> dict[str, list[Any]]:
    """Status and instants from the sorted events, as ``staging._derive`` computes them."""
    events = len(status_codes)
    index = np.arange(events)
    at = log.events["at"]
    last_status = [status_of[c] for c in status_codes[ends].tolist()]
    # Response: the first event not in New.
    new = np.array([s == TicketStatus.NEW for s in status_of], dtype=bool)[status_codes]
    first = np.minimum.reduceat(np.where(new, events, index), starts).tolist()
    # Resolution: the start of the final run of stop statuses.
    stop = np.array([s in STOP_STATUSES for s in status_of], dtype=bool)[status_codes]
    last_moving = np.maximum.reduceat(np.where(stop, -1, index), starts)
    run = np.where(last_moving < starts, starts, last_moving + 1).tolist()
    ends_list = ends.tolist()
    resolved = [
        row if row is not None or s not in STOP_STATUSES else at[r]
        for row, s, r in zip(log.tickets["resolved_at"], last_status, run, strict=True)
    ]
    closed = [
        row if row is not None or s != TicketStatus.CLOSED else at[e]
        for row, s, e in zip(log.tickets["closed_at"], last_status, ends_list, strict=True)
    ]
    return {
        "status": last_status,
        "source_status": [log.events["source_status"][e] for e in ends_list],
        "responded_at": [at[f] if f < events else None for f in first],
        "resolved_at": resolved,
        "closed_at": closed,
    }
