"""Store a staging: create or update its tickets and append its new events.

Runs inside the caller's transaction. Lookups are loaded once per import (the source's
tickets, the technicians by name, the existing events of touched tickets); new rows go
in with multi-row INSERTs of ready database values (no model instances, no per-batch
SQL compilation): on SQLite a third faster than ``executemany``, which runs the
statement once per row, and several times faster than ``bulk_create``. Events are
inserted in ``(ticket, seq)`` order, so their indexes grow at the end.

Idempotency: a ticket is identified by ``(source, external_id)``; an unchanged ticket
is left alone, a changed one updated. An event is new unless the ticket already has as
many events with the same ``(at, source status)`` as the file brings (so repeated
identical updates within one minute are kept, and re-importing adds nothing).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from django.db import connection, models

from servicegate.importers.reading import gc_paused
from servicegate.importers.staging import BY_TIME, StagedEvent, StagedTicket, Staging
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
# _ticket_values puts the four instants (opened … closed) at positions 8 to 11.
assert TICKET_FIELDS[8:12] == ("opened_at", "responded_at", "resolved_at", "closed_at")
UPDATE_BATCH = 500
# Rows per multi-row INSERT where the backend sets no parameter limit (PostgreSQL).
ROWS_PER_INSERT = 1000
STATUS, SOURCE_STATUS, PRIORITY, GROUP, RESOURCE = (itemgetter(i) for i in range(1, 6))
Adapter = Callable[[datetime | None], Any]


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
    new_rows: list[tuple[Any, ...]] = []
    changed: list[Ticket] = []
    for external_id, staged in staging.tickets.items():
        values = _ticket_values(staged, technicians)
        current = existing.get(external_id)
        if current is None:
            new_rows.append(
                (
                    staging.source,
                    external_id,
                    *values[:8],
                    adapt(values[8]),
                    adapt(values[9]),
                    adapt(values[10]),
                    adapt(values[11]),
                    *values[12:],
                )
            )
        elif tuple(current[2:]) != values:
            changed.append(Ticket(pk=current[1], **dict(zip(TICKET_FIELDS, values, strict=True))))
    if progress:
        progress(f"writing {len(new_rows)} new and {len(changed)} changed tickets")
    insert_rows(Ticket, ("source", "external_id", *TICKET_FIELDS), new_rows)
    Ticket.objects.bulk_update(changed, list(_model_fields(TICKET_FIELDS)), batch_size=UPDATE_BATCH)
    result.tickets_created, result.tickets_updated = len(new_rows), len(changed)
    ids = _ticket_ids(staging.source)
    touched = {existing[e][1] for e in staging.events if e in existing}
    rows = _new_events(staging, ids, touched, technicians, adapt)
    if progress:
        progress(f"writing {len(rows)} new events")
    insert_rows(TicketEvent, EVENT_FIELDS, rows)
    result.events_created = len(rows)
    return result


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
    adapt: Adapter,
) -> list[tuple[Any, ...]]:
    """The rows of the events to insert, in ``(ticket_id, seq)`` order (index order)."""
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
    rows: list[tuple[Any, ...]] = []
    fresh: list[tuple[int, list[StagedEvent]]] = []  # a run of tickets without known events
    for ticket_id, external_id in sorted((ids[e], e) for e in staging.events):
        events = staging.events[external_id]
        known_events = known.get(ticket_id)
        if known_events is None:
            fresh.append((ticket_id, events))
            continue
        rows.extend(_fresh_events(fresh, next_seq, technicians, adapt))
        fresh.clear()
        rows.extend(_ticket_events(ticket_id, events, known_events, next_seq, technicians, adapt))
    rows.extend(_fresh_events(fresh, next_seq, technicians, adapt))
    return rows


def _fresh_events(
    tickets: list[tuple[int, list[StagedEvent]]],
    next_seq: dict[int, int],
    technicians: dict[str, int],
    adapt: Adapter,
) -> Iterable[tuple[Any, ...]]:
    """The rows of every event of ``tickets`` (none known yet), numbered on from ``next_seq``.

    The fast path of a first import: column by column, with ``map`` and ``zip`` instead
    of a Python loop per event; each distinct instant is adapted once.
    """
    if not tickets:
        return ()
    events = list(chain.from_iterable(e for _, e in tickets))
    ats = list(map(BY_TIME, events))
    text = {at: adapt(at) for at in set(ats)}
    resources = list(map(RESOURCE, events))
    return zip(
        chain.from_iterable(repeat(t, len(e)) for t, e in tickets),
        chain.from_iterable(
            range(next_seq.get(t, 0) + 1, next_seq.get(t, 0) + 1 + len(e)) for t, e in tickets
        ),
        map(text.__getitem__, ats),
        map(STATUS, events),
        map(SOURCE_STATUS, events),
        map(PRIORITY, events),
        map(GROUP, events),
        map(technicians.get, resources),
        resources,
        strict=True,
    )


def _ticket_events(
    ticket_id: int,
    events: Sequence[StagedEvent],
    known: Counter[tuple[Any, str]],
    next_seq: dict[int, int],
    technicians: dict[str, int],
    adapt: Adapter,
) -> Iterable[tuple[Any, ...]]:
    seq = next_seq.get(ticket_id, 0)
    seen: Counter[tuple[Any, str]] = Counter()
    for event in events:
        at = adapt(event.at)
        key = (at, event.source_status)
        seen[key] += 1
        if seen[key] <= known[key]:
            continue
        seq += 1
        yield (
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


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT ``rows`` into ``model``'s table; values in the order of ``names``.

    Values must be ready for the database: datetimes through :func:`datetime_adapter`.
    Rows go in batches, as many per statement as the backend takes parameters.
    """
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(meta.get_field(n))) for n in names)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
    values = f"({', '.join(['%s'] * len(names))})"
    limit = connection.features.max_query_params
    per = max(1, limit // len(names)) if limit else ROWS_PER_INSERT
    full = head + ", ".join([values] * per)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            batch = rows[start : start + per]
            sql = full if len(batch) == per else head + ", ".join([values] * len(batch))
            cursor.execute(sql, list(chain.from_iterable(batch)))


def _column(field: Any) -> str:
    assert isinstance(field, models.Field), field
    return str(field.column)


def datetime_adapter() -> Adapter:
    """A function preparing aware datetimes (or None) for the current database."""
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    # SQLite stores naive UTC text, as Django's own adapter does; this skips its
    # per-call settings lookups and reuses the text of a datetime object seen before
    # (parsers hand out one object per distinct timestamp).
    cache: dict[int, tuple[datetime, str]] = {}

    def convert(value: datetime | None) -> Any:
        if value is None:
            return None
        hit = cache.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        utc = value if value.tzinfo is UTC else value.astimezone(UTC)
        text = utc.replace(tzinfo=None).isoformat(" ")
        cache[id(value)] = (value, text)
        return text

    return convert
