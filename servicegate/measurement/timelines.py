"""Each ticket's events packed into one binary value, ``Ticket.timeline``.

Reading five million events row by row costs the clock computation most of its time;
reading one packed value per ticket costs a fifth of that and no date parsing. A
timeline is little-endian 64-bit integers: a header naming the packing (``FORMAT``),
then the ticket's events in clock order, each as :func:`frames.pack_events` packs it.

A timeline is derived data. A database trigger (migration operations 0005) empties it
whenever an event of its ticket is added or removed; an empty timeline, or one of
another format, is rebuilt from the events by the next clock computation
(:func:`ticket_events`), which stores it again.
"""

from __future__ import annotations

import zlib
from dataclasses import fields
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet

from servicegate.measurement.frames import (
    EPOCH_SHIFT,
    EventFrame,
    IntArray,
    aggregate_row,
    load_events,
    pack_events,
    unpack_events,
)
from servicegate.measurement.rules import PRIORITY_NAMES, STATUS_NAMES
from servicegate.operations.models import Ticket, TicketEvent

FORMAT = zlib.crc32(repr((1, STATUS_NAMES, PRIORITY_NAMES, EPOCH_SHIFT)).encode())
SPARSE = 0.5  # below this share of an id range, read events by id batches
ID_BATCH = 20_000
EVENT_FIELDS = tuple(f.name for f in fields(EventFrame))
_EMPTY = np.zeros(0, dtype=np.int64)


def ticket_events(tickets: QuerySet[Ticket], ids: IntArray) -> EventFrame:
    """Events of the tickets ``ids`` (sorted, all in ``tickets``) in (ticket, at, seq) order.

    From the stored timelines; the missing ones are built from the events and stored.
    On PostgreSQL, rebuilding takes a SHARE lock on the events until the transaction
    ends, so no event can slip in between reading the events and storing the timeline
    (SQLite's write transactions already exclude other writers).
    """
    stored, stale = load_timelines(tickets, ids)
    if not stale.size:
        return stored
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(TicketEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
    fresh = events_of(stale)
    store_timelines(stale, fresh)
    both = [np.concatenate([getattr(stored, f), getattr(fresh, f)]) for f in EVENT_FIELDS]
    order = np.argsort(both[0], kind="stable")  # each part keeps its ticket's order
    return EventFrame(*(column[order] for column in both))


def load_timelines(tickets: QuerySet[Ticket], ids: IntArray) -> tuple[EventFrame, IntArray]:
    """Events of the tickets ``ids`` from their timelines, and the ids without a usable one."""
    try:
        sql, params = tickets.order_by("id").values_list("id", "timeline").query.sql_with_params()
    except EmptyResultSet:  # e.g. kind__in=[] when no promise is measured
        return events_of(ids[:0]), ids[:0]
    got, sizes, data = _read(sql, params)
    starts = np.cumsum(sizes) - sizes
    usable = sizes > 0
    usable[usable] = data[starts[usable]] == FORMAT
    wanted = np.isin(got, ids)
    keep = usable & wanted
    values = np.repeat(keep, sizes)
    values[starts[keep]] = False  # the headers
    ticket = np.repeat(got, np.where(keep, sizes - 1, 0))
    return unpack_events(ticket, data[values]), got[wanted & ~usable]


def _read(sql: str, params: Any) -> tuple[IntArray, IntArray, IntArray]:
    """Ids, timeline sizes (in integers; 0 for none) and all timelines concatenated.

    As in :func:`frames.int_rows`, the database concatenates: on SQLite ids and sizes as
    decimal text and the timelines as hexadecimal, on PostgreSQL as binary; else (or
    when that would outgrow one value) the rows come one by one.
    """
    head = f"WITH sub(i, t) AS ({sql}) SELECT COUNT(*), "
    if connection.vendor == "sqlite":
        row = aggregate_row(
            head + "group_concat(i), group_concat(coalesce(length(t), 0) / 8), "
            "group_concat(hex(t), '') FROM sub",
            params,
        )
        if row is not None:
            count, ids, sizes, hexed = row
            if not count:
                return _EMPTY, _EMPTY, _EMPTY
            got = np.fromstring(ids, dtype=np.int64, sep=",")
            lengths = np.fromstring(sizes, dtype=np.int64, sep=",")
            data = np.frombuffer(bytes.fromhex(hexed or ""), dtype="<i8")
            if got.size == lengths.size == count and data.size == lengths.sum():
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


def events_of(ids: IntArray) -> EventFrame:
    """Events of the tickets ``ids`` (sorted) read from the event table.

    When the ids fill most of their range, one query over the range; else id batches of
    ``ID_BATCH`` (a few tickets among a million).
    """
    if not ids.size:
        return EventFrame(_EMPTY, _EMPTY, _EMPTY, _EMPTY)
    lo, hi = int(ids[0]), int(ids[-1])
    if ids.size > SPARSE * (hi - lo + 1):
        loaded = load_events(TicketEvent.objects.filter(ticket_id__gte=lo, ticket_id__lte=hi))
        keep = np.isin(loaded.ticket, ids)
        if keep.all():
            return loaded
        return EventFrame(*(getattr(loaded, f)[keep] for f in EVENT_FIELDS))
    parts = [
        load_events(TicketEvent.objects.filter(ticket_id__in=batch.tolist()))
        for batch in np.array_split(ids, -(-ids.size // ID_BATCH))
    ]
    return EventFrame(*(np.concatenate([getattr(p, f) for p in parts]) for f in EVENT_FIELDS))


def store_timelines(ids: IntArray, events: EventFrame) -> None:
    """Store the timelines of the tickets ``ids`` (sorted) from their ``events``."""
    packed = pack_events(events)
    lo = np.searchsorted(events.ticket, ids, side="left").tolist()
    hi = np.searchsorted(events.ticket, ids, side="right").tolist()
    head = np.array([FORMAT], dtype="<i8").tobytes()
    body = packed.astype("<i8").tobytes()
    blobs = [head + body[a * 8 : b * 8] for a, b in zip(lo, hi, strict=True)]
    table = connection.ops.quote_name(Ticket._meta.db_table)
    with transaction.atomic():
        connection.ensure_connection()
        _write(table, ids, blobs)


def _write(table: str, ids: IntArray, blobs: list[bytes]) -> None:
    raw = connection.connection
    assert raw is not None
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS timeline_fill "
                "(id bigint PRIMARY KEY, timeline bytea) ON COMMIT DROP"
            )
            with cursor.copy("COPY timeline_fill (id, timeline) FROM STDIN") as copy:
                for row in zip(ids.tolist(), blobs, strict=True):
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} AS t SET timeline = f.timeline FROM timeline_fill AS f "
                "WHERE t.id = f.id"
            )
            cursor.execute("DELETE FROM timeline_fill")
        return
    marker = "?" if connection.vendor == "sqlite" else "%s"
    cursor = raw.cursor()
    try:
        cursor.executemany(
            f"UPDATE {table} SET timeline = {marker} WHERE id = {marker}",
            zip(blobs, ids.tolist(), strict=True),
        )
    finally:
        cursor.close()
