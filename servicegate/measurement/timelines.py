"""Each ticket's clock inputs packed into one binary value, its ``TicketTimeline``.

Reading a million tickets and five million events row by row costs the clock
computation most of its time; reading one packed value per ticket costs a fraction of
that and no date parsing. A timeline is little-endian 64-bit integers: a header naming
the packing (``FORMAT``), the ticket's fields the clocks depend on (``TICKET_FIELDS``,
as :class:`frames.TicketFrame` holds them) and a digest of its labels (team, channel,
priority: ``frames.LABELS``), then the ticket's events in clock order, each as
:func:`frames.pack_events` packs it.

A timeline is derived data. Database triggers (migration operations 0006) delete it
whenever an event of its ticket is added or removed and whenever one of those ticket
fields changes; a missing timeline, or one of another format, is rebuilt from the
ticket and its events by the next clock computation (:func:`ticket_inputs`), which
stores it again.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import QuerySet

from servicegate.importers.writer import insert_columns
from servicegate.measurement.frames import (
    EPOCH_SHIFT,
    KINDS,
    LABELS,
    EventFrame,
    IntArray,
    TicketFrame,
    aggregate_row,
    id_set,
    int_rows,
    load_events,
    load_labels,
    load_tickets,
    pack_events,
    unpack_events,
)
from servicegate.measurement.rules import PRIORITY_NAMES, STATUS_NAMES
from servicegate.operations.models import Ticket, TicketEvent, TicketTimeline

TICKET_FIELDS = tuple(f.name for f in fields(TicketFrame) if f.name != "id")
HEAD = 2 + len(TICKET_FIELDS)  # the format, the ticket's fields, its labels' digest
FORMAT = zlib.crc32(
    repr((2, STATUS_NAMES, PRIORITY_NAMES, EPOCH_SHIFT, KINDS, TICKET_FIELDS, LABELS)).encode()
)
FEW = 0.05  # below this share of their id range, tickets' rows are read by id
DENSE = 0.8  # from this share of their id range on, events are read for the whole range
ID_BATCH = 20_000
EVENT_FIELDS = tuple(f.name for f in fields(EventFrame))
_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Inputs:
    """What the clocks of some tickets are computed from: the tickets (sorted by id),
    their events in clock order and a digest of each ticket's labels."""

    tickets: TicketFrame
    events: EventFrame
    label_hash: IntArray
    built: int = 0  # of these, timelines built and stored now


def ticket_inputs(tickets: QuerySet[Ticket]) -> Inputs:
    """The clock inputs of ``tickets``: from their stored timelines, the missing ones
    built from the ticket rows and the events, and stored.

    On PostgreSQL a rebuild first locks the tickets against writers (SHARE ROW
    EXCLUSIVE: readers go on, a second rebuild waits) and the events (SHARE) until the
    transaction ends, so no change can slip in between reading them and storing the
    timeline (SQLite's write transactions already exclude other writers).
    """
    stored, stale = _load(tickets)
    if not stale.size:
        return stored
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {quote(Ticket._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"LOCK TABLE {quote(TicketEvent._meta.db_table)} IN SHARE MODE")
    fresh = _build(tickets, stale, len(stored.tickets) + stale.size)
    store_timelines(fresh)
    return replace(_merged(stored, fresh), built=len(fresh.tickets))


def _load(tickets: QuerySet[Ticket]) -> tuple[Inputs, IntArray]:
    """The inputs of ``tickets`` with a usable timeline, and the ids of the others.

    Two plain reads instead of a join (which PostgreSQL answered by scanning every
    timeline per chunk): the tickets' ids, then the timelines of their id range (or,
    for a few tickets spread wide, of their ids), kept where the ticket is wanted.
    """
    ids = int_rows(tickets.order_by("id").values_list("id"), 1)[:, 0]
    if not ids.size:
        return _unpacked(_EMPTY, _EMPTY, _EMPTY), _EMPTY
    lo, hi = int(ids[0]), int(ids[-1])
    stored = TicketTimeline.objects.filter(ticket_id__gte=lo, ticket_id__lte=hi)
    if ids.size <= FEW * (hi - lo + 1):
        stored = TicketTimeline.objects.filter(ticket_id__in=id_set(ids))
    sql, params = (
        stored.order_by("ticket_id").values_list("ticket_id", "data").query.sql_with_params()
    )
    got, sizes, data = _read(sql, params)
    starts = np.cumsum(sizes) - sizes
    at = np.clip(np.searchsorted(ids, got), 0, ids.size - 1)  # both sorted
    usable = (sizes >= HEAD) & (ids[at] == got)
    usable[usable] = data[starts[usable]] == FORMAT
    found = np.zeros(ids.size, dtype=bool)
    found[at[usable]] = True
    return _unpacked(np.where(usable, got, -1), sizes, data), ids[~found]


def _unpacked(ids: IntArray, sizes: IntArray, data: IntArray) -> Inputs:
    """Unpack the timelines in ``data`` (``sizes`` integers each, one after another) of
    the tickets ``ids``; those marked -1 are left out."""
    usable = ids >= 0
    all_starts = np.cumsum(sizes) - sizes
    starts = all_starts[usable]
    head = _EMPTY.reshape(0, HEAD - 1)
    if starts.size:
        head = data[starts[:, None] + np.arange(1, HEAD)]
    frame = TicketFrame(ids[usable], *(head[:, i] for i in range(len(TICKET_FIELDS))))
    within = np.arange(data.size) - np.repeat(all_starts, sizes)
    values = np.repeat(usable, sizes) & (within >= HEAD)
    ticket = np.repeat(ids[usable], sizes[usable] - HEAD)
    return Inputs(frame, unpack_events(ticket, data[values]), head[:, -1].copy())


def _build(tickets: QuerySet[Ticket], ids: IntArray, total: int) -> Inputs:
    """The inputs of the tickets ``ids`` (sorted, all in ``tickets``) from their rows."""
    if ids.size > FEW * total:  # most of them: read the whole query and keep those
        parts = [(tickets, ids)]
    else:
        parts = [
            (tickets.filter(id__in=id_set(batch)), batch)
            for batch in np.array_split(ids, -(-ids.size // ID_BATCH))
        ]
    frames, hashes = [], []
    for qs, wanted in parts:
        frame = load_tickets(qs)
        keep = np.isin(frame.id, wanted)
        frame = TicketFrame(*(getattr(frame, f.name)[keep] for f in fields(TicketFrame)))
        frames.append(frame)
        hashes.append(load_labels(qs, frame.id, LABELS).hash)
    frame = TicketFrame(
        *(np.concatenate([getattr(f, n.name) for f in frames]) for n in fields(TicketFrame))
    )
    return Inputs(frame, events_of(frame.id, tickets), np.concatenate(hashes))


def _merged(a: Inputs, b: Inputs) -> Inputs:
    """Two sets of inputs as one, tickets sorted by id (each keeps its events' order)."""
    ids = np.concatenate([a.tickets.id, b.tickets.id])
    order = np.argsort(ids, kind="stable")
    frame = TicketFrame(
        *(
            np.concatenate([getattr(a.tickets, f.name), getattr(b.tickets, f.name)])[order]
            for f in fields(TicketFrame)
        )
    )
    both = [np.concatenate([getattr(a.events, f), getattr(b.events, f)]) for f in EVENT_FIELDS]
    ev_order = np.argsort(both[0], kind="stable")
    events = EventFrame(*(column[ev_order] for column in both))
    return Inputs(frame, events, np.concatenate([a.label_hash, b.label_hash])[order])


def _read(sql: str, params: Any) -> tuple[IntArray, IntArray, IntArray]:
    """Ids, timeline sizes (in integers; 0 for none) and all timelines concatenated.

    As in :func:`frames.int_rows`, the database concatenates: on SQLite ids and sizes as
    decimal text and the timelines as their bytes, on PostgreSQL as binary; else (or
    when that would outgrow one value) the rows come one by one.
    """
    head = f"WITH sub(i, t) AS ({sql}) SELECT COUNT(*), "
    if connection.vendor == "sqlite":
        with _raw_text():
            row = aggregate_row(
                head + "group_concat(i), group_concat(coalesce(length(t), 0) / 8), "
                "group_concat(t, '') FROM sub",
                params,
            )
        if row is not None:
            count, ids, sizes, blob = row
            if not count:
                return _EMPTY, _EMPTY, _EMPTY
            got = np.fromstring(ids, dtype=np.int64, sep=",")
            lengths = np.fromstring(sizes, dtype=np.int64, sep=",")
            data = np.frombuffer(blob or b"", dtype="<i8")
            whole = got.size == lengths.size == count and data.size == lengths.sum()
            if whole and bool((got[1:] > got[:-1]).all()):  # in the query's order
                return got, lengths, data.astype(np.int64)
    elif connection.vendor == "postgresql":
        row = aggregate_row(
            head + "string_agg(int8send(i::bigint), ''::bytea), "
            "string_agg(int8send((coalesce(length(t), 0) / 8)::bigint), ''::bytea), "
            "string_agg(coalesce(t, ''::bytea), ''::bytea) FROM sub",
            params,
        )
        if row is not None:
            count, ids, sizes, blob = row
            if not count:
                return _EMPTY, _EMPTY, _EMPTY
            got = np.frombuffer(bytes(ids), dtype=">i8").astype(np.int64)
            lengths = np.frombuffer(bytes(sizes), dtype=">i8").astype(np.int64)
            data = np.frombuffer(bytes(blob or b""), dtype="<i8").astype(np.int64)
            if bool((got[1:] > got[:-1]).all()):  # in the query's order
                return got, lengths, data
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    got = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    blobs = [bytes(r[1]) if r[1] is not None else b"" for r in rows]
    lengths = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs)) // 8
    return got, lengths, np.frombuffer(b"".join(blobs), dtype="<i8").astype(np.int64)


@contextmanager
def _raw_text() -> Iterator[None]:
    """On SQLite, texts come back as the bytes stored, undecoded.

    ``group_concat`` of blobs joins their bytes (it appends each value by its length,
    zeros included) into a text that is no UTF-8; read as bytes, the timelines need no
    hexadecimal round trip, which cost more than the query itself.
    """
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    before = raw.text_factory
    raw.text_factory = bytes
    try:
        yield
    finally:
        raw.text_factory = before


def events_of(ids: IntArray, among: QuerySet[Ticket] | None = None) -> EventFrame:
    """Events of the tickets ``ids`` (sorted; all in ``among``, if given) read from the
    event table.

    When the ids fill a good part of their range, one query over the range (limited to
    the tickets of ``among`` unless they fill nearly all of it, so the database converts
    no other ticket's events); else id batches of ``ID_BATCH`` (a few tickets among a
    million).
    """
    if not ids.size:
        return EventFrame(_EMPTY, _EMPTY, _EMPTY, _EMPTY)
    lo, hi = int(ids[0]), int(ids[-1])
    if ids.size > FEW * (hi - lo + 1):
        events = TicketEvent.objects.filter(ticket_id__gte=lo, ticket_id__lte=hi)
        if among is not None and ids.size < DENSE * (hi - lo + 1):
            events = events.filter(ticket_id__in=among.order_by().values("id"))
        loaded = load_events(events)
        keep = np.isin(loaded.ticket, ids)
        if keep.all():
            return loaded
        return EventFrame(*(getattr(loaded, f)[keep] for f in EVENT_FIELDS))
    parts = [
        load_events(TicketEvent.objects.filter(ticket_id__in=id_set(batch)))
        for batch in np.array_split(ids, -(-ids.size // ID_BATCH))
    ]
    return EventFrame(*(np.concatenate([getattr(p, f) for p in parts]) for f in EVENT_FIELDS))


def store_timelines(inputs: Inputs) -> None:
    """Store the timelines of ``inputs``' tickets."""
    frame, events = inputs.tickets, inputs.events
    packed = pack_events(events)
    lo = np.searchsorted(events.ticket, frame.id, side="left").tolist()
    hi = np.searchsorted(events.ticket, frame.id, side="right").tolist()
    heads = np.column_stack(
        [
            np.full(len(frame), FORMAT, dtype=np.int64),
            *(getattr(frame, name) for name in TICKET_FIELDS),
            inputs.label_hash,
        ]
    ).astype("<i8")
    body = packed.astype("<i8").tobytes()
    blobs = [head.tobytes() + body[a * 8 : b * 8] for head, a, b in zip(heads, lo, hi, strict=True)]
    with transaction.atomic():
        # a timeline of another format may be there: replace it
        TicketTimeline.objects.filter(ticket_id__in=id_set(frame.id))._raw_delete(
            TicketTimeline.objects.db
        )
        insert_columns(TicketTimeline, ("ticket_id", "data"), [frame.id.tolist(), blobs])
