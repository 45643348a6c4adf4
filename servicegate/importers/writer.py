"""Store a staging: create or update its tickets and append its new events.

Runs inside the caller's transaction. Lookups are loaded once per import (the source's
tickets, the technicians by name, the existing events of touched tickets); new rows go
in with multi-row INSERTs of ready database values (no model instances, no per-batch
SQL compilation): on SQLite a third faster than ``executemany``, which runs the
statement once per row, and several times faster than ``bulk_create``. Events are
inserted in ``(ticket, seq)`` order, so their indexes grow at the end.

Idempotency: a ticket is identified by ``(source, external_id)``; an unchanged ticket
is left alone, a changed one updated. An event is new unless the ticket already has as
many events with the same ``(at, source status)`` as the file brings (so distinct
updates within one minute are kept, and re-importing adds nothing). A row identical to
an earlier row of the file never reaches the staging (the readers skip and count it).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import numpy as np
from django.db import connection, models
from django.utils.translation import gettext as _

from servicegate.importers.reading import gc_paused
from servicegate.importers.staging import BY_TIME, ColumnLog, StagedEvent, StagedTicket, Staging
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.team.models import Technician

TICKET_FIELDS = (
    "number",
    "kind",
    "channel",
    "priority",
    "source_priority",
    "category",
    "assignment_group",
    "technician_id",
    "opened_at",
    "responded_at",
    "resolved_at",
    "closed_at",
    "status",
    "source_status",
    "reassignment_count",
    "reopen_count",
    "source_made_sla",
    "due_at",
)
EVENT_FIELDS = (
    "ticket_id",
    "seq",
    "at",
    "status",
    "source_status",
    "priority",
    "assignment_group",
    "technician_id",
    "resource",
)
# The positions of the instants (opened … closed, due) in a new ticket's row.
INSTANTS = (*range(10, 14), 19)
assert TICKET_FIELDS[8:12] == ("opened_at", "responded_at", "resolved_at", "closed_at")
assert TICKET_FIELDS[17] == "due_at"
UPDATE_BATCH = 500
# Rows per multi-row INSERT (fewer if the backend's parameter limit says so): on SQLite
# a few hundred rows per statement insert fastest.
ROWS_PER_INSERT = 500
PARAMS_PER_INSERT = 4_000  # wider rows: fewer per statement (SQLite is fastest at a few thousand)
STATUS, SOURCE_STATUS, PRIORITY, GROUP, RESOURCE = (itemgetter(i) for i in range(1, 6))


@dataclass
class WriteResult:
    """What a write changed."""

    tickets_created: int = 0
    tickets_updated: int = 0
    events_created: int = 0


def write(staging: Staging, *, progress: Callable[[str], None] | None = None) -> WriteResult:
    """Store ``staging`` (call inside ``transaction.atomic``)."""
    with gc_paused():
        return _write(staging, progress)


def _write(staging: Staging, progress: Callable[[str], None] | None) -> WriteResult:
    result = WriteResult()
    if connection.vendor == "sqlite":
        # A bigger page cache for this connection keeps the growing indexes in memory
        # (SQLite's default is 2 MB); it is per connection and changes no data.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")
    technicians = dict(Technician.objects.values_list("name", "id"))
    existing = {
        row[0]: row
        for row in Ticket.objects.filter(source=staging.source).values_list(
            "external_id", "id", *TICKET_FIELDS
        )
    }
    adapt = datetime_adapter()
    if staging.columns is not None:
        if not existing:  # a first import: straight in, column by column
            return _write_columns(staging, staging.columns, technicians, adapt, progress)
        staging.columns.stage(staging)
        staging.columns = None
    new_rows: list[tuple[Any, ...]] = []
    changed: list[Ticket] = []
    for external_id, staged in staging.tickets.items():
        values = _ticket_values(staged, technicians)
        current = existing.get(external_id)
        if current is None:
            new_rows.append((staging.source, external_id, *values))
        elif tuple(current[2:]) != values:
            changed.append(Ticket(pk=current[1], **dict(zip(TICKET_FIELDS, values, strict=True))))
    new_columns = [list(c) for c in zip(*new_rows, strict=True)]
    for index in INSTANTS if new_columns else ():  # the four instants, converted together
        new_columns[index] = adapt.many(new_columns[index])
    if progress:
        progress(
            _("writing %(new)d new and %(changed)d changed tickets")
            % {"new": len(new_rows), "changed": len(changed)}
        )
    insert_columns(Ticket, ("source", "external_id", *TICKET_FIELDS), new_columns)
    Ticket.objects.bulk_update(changed, list(_model_fields(TICKET_FIELDS)), batch_size=UPDATE_BATCH)
    result.tickets_created, result.tickets_updated = len(new_rows), len(changed)
    ids = _ticket_ids(staging.source)
    touched = {existing[e][1] for e in staging.events if e in existing}
    columns = _new_events(staging, ids, touched, technicians, adapt)
    count = len(columns[0])
    if progress:
        progress(_("writing %(count)d new events") % {"count": count})
    insert_columns(TicketEvent, EVENT_FIELDS, columns)
    result.events_created = count
    return result


def _write_columns(
    staging: Staging,
    log: ColumnLog,
    technicians: dict[str, int],
    adapt: DatetimeAdapter,
    progress: Callable[[str], None] | None,
) -> WriteResult:
    """Insert a :class:`ColumnLog` of a source that has no tickets yet."""
    tickets, derived, events = log.tickets, log.derived, log.events
    count = len(tickets["external_id"])
    if progress:
        progress(_("writing %(count)d new tickets") % {"count": count})
    values: dict[str, list[Any]] = {
        "source": [staging.source] * count,
        "external_id": tickets["external_id"],
        "number": tickets["external_id"],
        "kind": [StagedTicket.kind] * count,
        "technician_id": list(map(technicians.get, tickets["resource"])),
        "due_at": [None] * count,
        **{name: tickets[name] for name in TICKET_FIELDS if name in tickets},
        **derived,
    }
    for name in ("opened_at", "responded_at", "resolved_at", "closed_at"):
        values[name] = adapt.many(values[name])
    names = ("source", "external_id", *TICKET_FIELDS)
    insert_columns(Ticket, names, [values[n] for n in names])
    ids = _ticket_ids(staging.source)
    ticket_ids = list(map(ids.__getitem__, tickets["external_id"]))
    if progress:
        progress(_("writing %(count)d new events") % {"count": len(events["ticket"])})
    columns = {
        **events,
        "ticket_id": list(map(ticket_ids.__getitem__, events["ticket"])),
        "at": adapt.many(events["at"]),
        "technician_id": list(map(technicians.get, events["resource"])),
    }
    insert_columns(TicketEvent, EVENT_FIELDS, [columns[n] for n in EVENT_FIELDS])
    return WriteResult(tickets_created=count, events_created=len(events["ticket"]))


def _ticket_values(staged: StagedTicket, technicians: dict[str, int]) -> tuple[Any, ...]:
    return (
        staged.number or staged.external_id,
        staged.kind,
        staged.channel,
        staged.priority,
        staged.source_priority,
        staged.category,
        staged.assignment_group,
        technicians.get(staged.resource),
        staged.opened_at,
        staged.responded_at,
        staged.resolved_at,
        staged.closed_at,
        staged.status,
        staged.source_status,
        staged.reassignment_count,
        staged.reopen_count,
        staged.source_made_sla,
        staged.due_at,
    )


def _model_fields(names: Iterable[str]) -> Iterable[str]:
    return (n.removesuffix("_id") for n in names)


def _ticket_ids(source: str) -> dict[str, int]:
    """``external_id → id`` of the source's tickets (raw SQL: no ORM work per row)."""
    table = connection.ops.quote_name(Ticket._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT external_id, id FROM {table} WHERE source = %s", [source])
        return dict(cursor.fetchall())


def _new_events(
    staging: Staging,
    ids: dict[str, int],
    touched: set[int],
    technicians: dict[str, int],
    adapt: DatetimeAdapter,
) -> list[list[Any]]:
    """The columns of the events to insert, in ``(ticket_id, seq)`` order (index order)."""
    known: dict[int, Counter[tuple[Any, str]]] = {}
    next_seq: dict[int, int] = {}
    if touched:
        # One query for the whole source, fine next to the import's own size; instants
        # are compared in their database form, without the ORM's per-row conversion.
        event_table = TicketEvent._meta.db_table
        ticket_table = Ticket._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.ticket_id, e.seq, e.at, e.source_status FROM {event_table} e"
                f" JOIN {ticket_table} t ON t.id = e.ticket_id WHERE t.source = %s",
                [staging.source],
            )
            for ticket_id, seq, at, source_status in cursor.fetchall():
                if isinstance(at, datetime) and at.tzinfo is None:
                    at = at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
                key = (adapt(at) if isinstance(at, datetime) else at, source_status)
                known.setdefault(ticket_id, Counter())[key] += 1
                if seq > next_seq.get(ticket_id, 0):
                    next_seq[ticket_id] = seq
    columns: list[list[Any]] = [[] for _ in EVENT_FIELDS]
    fresh: list[tuple[int, list[StagedEvent]]] = []  # a run of tickets without known events
    for ticket_id, external_id in sorted((ids[e], e) for e in staging.events):
        events = staging.events[external_id]
        known_events = known.get(ticket_id)
        if known_events is None:
            fresh.append((ticket_id, events))
            continue
        _fresh_events(columns, fresh, next_seq, technicians, adapt)
        fresh.clear()
        rows = _ticket_events(ticket_id, events, known_events, next_seq, technicians, adapt)
        for column, values in zip(columns, zip(*rows, strict=True), strict=False):
            column.extend(values)
    _fresh_events(columns, fresh, next_seq, technicians, adapt)
    return columns


def _fresh_events(
    columns: list[list[Any]],
    tickets: list[tuple[int, list[StagedEvent]]],
    next_seq: dict[int, int],
    technicians: dict[str, int],
    adapt: DatetimeAdapter,
) -> None:
    """Append every event of ``tickets`` (none known yet) to ``columns``, numbered on.

    The fast path of a first import: column by column, with ``map`` instead of a Python
    loop per event, and no row tuples at all (see :func:`insert_columns`).
    """
    if not tickets:
        return
    events = list(chain.from_iterable(e for _, e in tickets))
    resources = list(map(RESOURCE, events))
    ticket, seq, at, status, source_status, priority, group, technician, resource = columns
    ticket.extend(chain.from_iterable(repeat(t, len(e)) for t, e in tickets))
    seq.extend(
        chain.from_iterable(
            range(next_seq.get(t, 0) + 1, next_seq.get(t, 0) + 1 + len(e)) for t, e in tickets
        )
    )
    at.extend(adapt.many(list(map(BY_TIME, events))))
    status.extend(map(STATUS, events))
    source_status.extend(map(SOURCE_STATUS, events))
    priority.extend(map(PRIORITY, events))
    group.extend(map(GROUP, events))
    technician.extend(map(technicians.get, resources))
    resource.extend(resources)


def _ticket_events(
    ticket_id: int,
    events: Sequence[StagedEvent],
    known: Counter[tuple[Any, str]],
    next_seq: dict[int, int],
    technicians: dict[str, int],
    adapt: DatetimeAdapter,
) -> list[tuple[Any, ...]]:
    seq = next_seq.get(ticket_id, 0)
    rows: list[tuple[Any, ...]] = []
    seen: Counter[tuple[Any, str]] = Counter()
    for event in events:
        at = adapt(event.at)
        key = (at, event.source_status)
        seen[key] += 1
        if seen[key] <= known[key]:
            continue
        seq += 1
        rows.append(
            (
                ticket_id,
                seq,
                at,
                event.status,
                event.source_status,
                event.priority,
                event.assignment_group,
                technicians.get(event.resource),
                event.resource,
            )
        )
    return rows


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT ``rows`` into ``model``'s table; values in the order of ``names``."""
    if rows:
        insert_columns(model, names, [list(c) for c in zip(*rows, strict=True)])


def insert_columns(
    model: type[models.Model],
    names: Sequence[str],
    columns: Sequence[list[Any]],
    *,
    epochs: Sequence[str] = (),
) -> None:
    """INSERT rows given column by column into ``model``'s table (``names`` in order).

    Values must be ready for the database: datetimes through :func:`datetime_adapter`,
    except on SQLite the columns named in ``epochs``, which hold UTC epoch seconds (or
    None) that SQLite turns into Django's text itself (``datetime(?, 'unixepoch')``): an
    integer binds at a third of the cost of a text.
    A column of nothing but None is left out (the database fills in NULL). PostgreSQL
    gets the rows by COPY. Other databases get multi-row statements of up to
    :data:`ROWS_PER_INSERT` rows, straight to the driver's cursor: Django's wrapper
    would rewrite every statement's placeholders with a regular expression (on SQLite a
    third of the time of a large import) and caps SQLite at 999 parameters, far below
    the library's own limit. Each statement's parameter list is filled by slice
    assignment, column by column, so no row tuple is ever built.
    """
    count = len(columns[0]) if columns else 0
    if not count:
        return
    kept = [(n, c) for n, c in zip(names, columns, strict=True) if c.count(None) != count]
    meta = model._meta
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(meta.db_table), ", ".join(quote(_column(meta.get_field(n))) for n, _ in kept)
    )
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    if connection.vendor == "postgresql":
        _copy_columns(raw, head, kept)
        return
    if connection.vendor == "sqlite":
        marker = "?"
        limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    else:
        marker = "%s"
        limit = 65535  # PostgreSQL's wire protocol counts parameters in 16 bits
    width = len(kept)
    sqlite = connection.vendor == "sqlite"
    markers = [
        f"datetime({marker}, 'unixepoch')" if sqlite and n in epochs else marker for n, _ in kept
    ]
    values = f"({', '.join(markers)})"
    per = max(1, min(ROWS_PER_INSERT, PARAMS_PER_INSERT // width, limit // width))
    full = head + ", ".join([values] * per)
    cursor = raw.cursor()
    try:
        for start in range(0, count, per):
            size = min(per, count - start)
            params: list[Any] = [None] * (size * width)
            for offset, (_, column) in enumerate(kept):
                params[offset::width] = column[start : start + size]
            cursor.execute(full if size == per else head + ", ".join([values] * size), params)
    finally:
        cursor.close()


def _copy_columns(raw: Any, head: str, kept: list[tuple[str, list[Any]]]) -> None:
    """PostgreSQL: the rows through ``COPY … FROM STDIN`` (psycopg writes them in C).

    A multi-row INSERT of thousands of placeholders is parsed again by psycopg for every
    statement (it caches only short queries), which made a large insert minutes long.
    """
    target = head.removesuffix(" VALUES ").replace("INSERT INTO ", "COPY ", 1)
    with raw.cursor() as cursor, cursor.copy(f"{target} FROM STDIN") as copy:
        for row in zip(*(column for _, column in kept), strict=True):
            copy.write_row(row)


def _column(field: Any) -> str:
    assert isinstance(field, models.Field), field
    return str(field.column)


class DatetimeAdapter:
    """Prepares aware datetimes (or None) for the current database.

    SQLite stores naive UTC text, as Django's own adapter does; this skips its per-call
    settings lookups, converts many instants at once with numpy (:meth:`many`) and
    remembers the text of every instant it has seen. Other databases take the datetime
    objects as they are.
    """

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        # None is "converted" to itself, so that many() needs no test per value.
        self.texts: dict[datetime | None, str | None] = {None: None}

    def __call__(self, value: datetime | None) -> Any:
        if not self.sqlite:
            return value if value is None else connection.ops.adapt_datetimefield_value(value)
        text = self.texts.get(value)
        if text is None and value is not None:
            utc = value if value.tzinfo is UTC else value.astimezone(UTC)
            text = self.texts[value] = utc.isoformat(" ")[:-6]  # without "+00:00"
        return text

    def many(self, values: list[datetime | None]) -> list[Any]:
        """``[self(v) for v in values]`` for a long list of aware datetimes, faster."""
        if not self.sqlite:
            return list(map(self, values))
        texts = self.texts
        todo = [v for v in set(values) if v not in texts]
        if todo and not any(v.microsecond for v in todo if v is not None):
            seconds = np.array([v.timestamp() for v in todo if v is not None], dtype=np.int64)
            stamps = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
            texts.update(zip(todo, (s.replace("T", " ") for s in stamps.tolist()), strict=True))
        else:
            for value in todo:
                self(value)
        return list(map(texts.__getitem__, values))


def datetime_adapter() -> DatetimeAdapter:
    """A :class:`DatetimeAdapter` for the current database connection."""
    return DatetimeAdapter()
