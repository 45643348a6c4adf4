"""Tickets and their events as numpy arrays, read with one ordered query each per chunk.

Instants are converted to UTC epoch seconds in the database (``Epoch``) and statuses
and priorities to small integer codes (``CASE``), so a chunk of 200,000 tickets and
their events arrives as plain integers without a Python object per value. An event's
instant, status and priority travel packed in one integer (``_packed_event``): the
driver's cost is per value fetched, and an event has millions of siblings.
"""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import EmptyResultSet
from django.db import DataError, InternalError, OperationalError, connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from servicegate.engines.clocks import NONE
from servicegate.measurement.rules import PRIORITY_NAMES, STATUS_NAMES
from servicegate.operations.choices import TicketKind
from servicegate.operations.models import Ticket, TicketEvent

IntArray = npt.NDArray[np.int64]
KINDS: tuple[str, ...] = tuple(TicketKind.values)
LABELS = ("assignment_group", "channel", "priority")  # a ticket's, copied into its clocks


# unixepoch() (SQLite 3.38+) is three times faster than strftime('%s').
_SQLITE_EPOCH = (
    "unixepoch(%(expressions)s)"
    if sqlite3.sqlite_version_info >= (3, 38)
    else "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
)
# Bits of a packed event below its epoch: status code + 1 (5 bits), priority code + 1
# (3 bits); the epoch is shifted by 2**35 so that instants before 1970 stay positive.
EPOCH_SHIFT = 1 << 35
assert len(STATUS_NAMES) < 31 and len(PRIORITY_NAMES) < 7


class Epoch(Func):
    """UTC epoch seconds of a datetime column, computed by the database."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template=_SQLITE_EPOCH)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            # FLOOR: whole seconds as SQLite's unixepoch() and Python's int() give them (a
            # cast alone rounds, and an event at 12:00:00.7 would lie after "now")
            template="CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)) AS BIGINT)",
        )


def id_set(ids: IntArray) -> Any:
    """The right-hand side of an ``__in`` lookup of many ids, in one query parameter.

    SQLite reads them from a JSON array, PostgreSQL from a comma-separated text
    (thousands of placeholders, or a list adapted value by value, cost the driver more
    than the query); other databases get the list.
    """
    if connection.vendor in ("sqlite", "postgresql"):
        rows, param = id_rows(ids)
        return RawSQL(f"SELECT k FROM {rows}", [param])
    return ids.tolist()


def id_rows(ids: IntArray) -> tuple[str, str]:
    """A table expression of one column ``k`` holding ``ids``, and its one parameter
    (SQLite and PostgreSQL)."""
    text = ",".join(map(str, ids.tolist()))
    if connection.vendor == "sqlite":
        return "(SELECT value AS k FROM json_each(%s))", f"[{text}]"
    return "unnest(string_to_array(%s, ',')::bigint[]) AS k", text


class Code(Func):
    """``names.index(value)`` of a text column in SQL; -1 for any other value.

    One ``CASE`` with the names written out: the vocabularies are fixed identifiers, and
    a literal template costs Django a fraction of composing ``When`` objects, which
    mattered for the clocks of a single ticket written (most of their time was spent
    compiling queries).
    """

    output_field = IntegerField()

    def __init__(self, field: str, names: tuple[str, ...]) -> None:
        assert all(n.replace("_", "").isalnum() for n in names)
        whens = " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(names))
        super().__init__(F(field), template=f"CASE %(expressions)s {whens} ELSE -1 END")


def int_rows(qs: QuerySet[Any], width: int, *, ordered: bool = True) -> IntArray:
    """Run ``qs`` (a values_list of integers) and return its rows as an (n, width) array.

    The driver's cost is per value fetched (a Python object each), so the database
    concatenates the whole result: SQLite one text of decimal numbers per column
    (``group_concat`` over the ordered query, parsed by numpy), PostgreSQL a byte string
    of big-endian 64-bit integers (``string_agg(int8send(…))``, each row's values in one
    piece). Both aggregate in the order the query delivers its rows, which no standard
    promises: with ``ordered``, rows that come back out of order by their first column
    are sorted by it here (stably), rather than by the database (a sort inside
    PostgreSQL's aggregate spills to disk). Other databases, or a result that does not
    come back whole, take the row-by-row path.
    """
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # e.g. kind__in=[] when no promise is measured
        return np.zeros((0, width), dtype=np.int64)
    selected = len(qs.query.values_select) + len(qs.query.annotation_select)
    names = [f"c{i}" for i in range(selected)]
    head = f"WITH sub({', '.join(names)}) AS ({sql}) SELECT COUNT(*), "
    fast: IntArray | None = None
    if connection.vendor == "sqlite":  # a text per column: half the cost of one per row
        aggs = ", ".join(f"group_concat({n})" for n in names[:width])
        fast = _concatenated(f"{head}{aggs} FROM sub", params, width, _decimal, ordered)
    elif connection.vendor == "postgresql":
        row = " || ".join(f"int8send({n}::bigint)" for n in names[:width])
        agg = f"string_agg({row}, ''::bytea)"
        fast = _concatenated(f"{head}{agg} FROM sub", params, width, _binary, ordered)
    if fast is not None:
        return fast
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * len(names))
    return flat.reshape(len(rows), len(names))[:, :width]


def _decimal(value: Any) -> IntArray:
    return np.fromstring(value, dtype=np.int64, sep=",")


def _binary(value: Any) -> IntArray:
    return np.frombuffer(bytes(value), dtype=">i8").astype(np.int64)


def aggregate_row(sql: str, params: Any) -> tuple[Any, ...] | None:
    """The one row of an aggregate query, or None if the database refused to build it.

    A concatenation can outgrow what the database holds in one value (SQLite's 1 GB
    string limit, PostgreSQL's 1 GB allocation): the caller then reads row by row. The
    query runs in a savepoint, so a refusal leaves the transaction usable. PostgreSQL
    sends the row in binary (Django's cursors take text, which doubles a byte string
    into hexadecimal the driver then decodes).
    """
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                return _binary_row(sql, params)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return tuple(cursor.fetchone())
    except (DataError, OperationalError, InternalError):
        return None


def _binary_row(sql: str, params: Any) -> tuple[Any, ...]:
    """The query with its parameters bound as Django binds them (on the client: Django's
    integer wrappers are 32-bit types that only a text query may exceed), sent as text,
    its row received in binary."""
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    with connection.wrap_database_errors:
        with psycopg.ClientCursor(raw) as client:
            text = client.mogrify(sql, params)
        with psycopg.Cursor(raw) as cursor:
            cursor.execute(text.encode(), binary=True)
            return tuple(cursor.fetchone() or ())


def _concatenated(
    sql: str, params: Any, width: int, parse: Any, ordered: bool = True
) -> IntArray | None:
    """The rows of an aggregate query (sorted by the first column if ``ordered``), or
    None when they are not whole.

    The query returns the row count, then either one value holding the rows one after
    another or one value per column (in the same order).
    """
    row = aggregate_row(sql, params)
    if row is None:
        return None
    count, *values = row
    if not count:
        return np.zeros((0, width), dtype=np.int64)
    parts = [parse(v) if v is not None else np.zeros(0, dtype=np.int64) for v in values]
    if sum(p.size for p in parts) != count * width:  # a NULL value left a row out
        return None
    if len(parts) == 1:
        rows = parts[0].reshape(count, width)
    elif all(p.size == count for p in parts):
        rows = np.column_stack(parts)
    else:
        return None
    if ordered and count > 1 and bool((rows[1:, 0] < rows[:-1, 0]).any()):
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
    return rows


@dataclass(frozen=True)
class TicketFrame:
    """One row per ticket, sorted by id; ``NONE`` for a missing value."""

    id: IntArray
    kind: IntArray  # index into KINDS
    priority: IntArray  # index into PRIORITY_NAMES, -1 none
    customer: IntArray  # customer id or -1
    opened: IntArray
    responded: IntArray
    reassignments: IntArray
    made_sla: IntArray  # 1, 0 or -1 (unknown)

    def __len__(self) -> int:
        return int(self.id.size)


def load_tickets(tickets: QuerySet[Ticket]) -> TicketFrame:
    """The clock-relevant fields of ``tickets`` in one ordered query."""
    qs = (
        tickets.order_by("id")
        .annotate(
            _kind=Code("kind", KINDS),
            _customer=Coalesce("customer_id", Value(-1)),
            _priority=Code("priority", PRIORITY_NAMES),
            _opened=Epoch("opened_at"),
            _responded=Coalesce(Epoch("responded_at"), Value(NONE)),
            _sla=Case(
                When(source_made_sla=True, then=Value(1)),
                When(source_made_sla=False, then=Value(0)),
                default=Value(-1),
                output_field=IntegerField(),
            ),
        )
        .values_list(
            "id",
            "_kind",
            "_priority",
            "_customer",
            "_opened",
            "_responded",
            "reassignment_count",
            "_sla",
        )
    )
    a = int_rows(qs, 8)
    return TicketFrame(a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4], a[:, 5], a[:, 6], a[:, 7])


@dataclass(frozen=True)
class EventFrame:
    """Events ordered by (ticket, at, seq): ticket id, epoch, status code, priority code."""

    ticket: IntArray
    at: IntArray
    status: IntArray
    priority: IntArray


def load_events(events: QuerySet[TicketEvent]) -> EventFrame:
    """``events`` in clock order, in one query.

    The query is ordered; the rows are checked and, should the concatenation not have
    kept that order, sorted here (a sort inside PostgreSQL's aggregate spills a
    million events to disk).
    """
    packed = (
        (Epoch("at") + Value(EPOCH_SHIFT)) * Value(256)
        + (Code("status", STATUS_NAMES) + Value(1)) * Value(8)
        + (Code("priority", PRIORITY_NAMES) + Value(1))
    )
    qs = (
        events.order_by("ticket_id", "at", "seq")
        .annotate(_packed=ExpressionWrapper(packed, output_field=BigIntegerField()))
        .values_list("ticket_id", "_packed", "seq")
    )
    a = int_rows(qs, 3, ordered=False)
    ticket, word, seq = a[:, 0], a[:, 1], a[:, 2]
    instant = word >> 8
    if ticket.size > 1 and not _ascending(ticket, instant, seq):
        order = np.lexsort((seq, instant, ticket))
        ticket, word = ticket[order], word[order]
    return unpack_events(ticket, word)


def _ascending(*columns: IntArray) -> bool:
    """Whether rows of these columns are in ascending order (the first one first)."""
    before = np.zeros(columns[0].size - 1, dtype=bool)  # decided: earlier row is less
    for column in columns:
        if bool((~before & (column[1:] < column[:-1])).any()):
            return False
        before |= column[1:] > column[:-1]
    return True


def unpack_events(ticket: IntArray, packed: IntArray) -> EventFrame:
    """Events from their packed integers (instant, status and priority, as
    :func:`load_events` has the database pack them; see ``EPOCH_SHIFT``), with their
    tickets' ids."""
    at = (packed >> 8) - EPOCH_SHIFT
    return EventFrame(ticket, at, ((packed >> 3) & 31) - 1, (packed & 7) - 1)


@dataclass(frozen=True)
class Labels:
    """Text fields of tickets, aligned with a frame.

    ``hash`` digests each ticket's values (stable across chunks); ``code`` numbers each
    distinct combination within this frame (-1: ticket not found).
    """

    values: dict[str, npt.NDArray[np.object_]]
    hash: IntArray
    code: IntArray


def load_labels(tickets: QuerySet[Ticket], ids: IntArray, fields: tuple[str, ...]) -> Labels:
    """Text fields of ``tickets`` as object arrays aligned with the sorted ``ids``.

    One grouped query: each distinct combination of the fields comes back once, with its
    tickets' ids concatenated as in :func:`int_rows`; a ticket not found keeps ``""``.
    """
    out = {f: np.full(ids.size, "", dtype=object) for f in fields}
    digest = np.zeros(ids.size, dtype=np.int64)
    code = np.full(ids.size, -1, dtype=np.int64)
    try:
        sql, params = tickets.order_by().values_list(*fields, "id").query.sql_with_params()
    except EmptyResultSet:
        return Labels(out, digest, code)
    keys = [f"k{i}" for i in range(len(fields))]
    head = f"WITH sub({', '.join(keys)}, c) AS ({sql}) SELECT {', '.join(keys)}, COUNT(*), "
    tail = f" FROM sub GROUP BY {', '.join(keys)}"
    groups: list[tuple[tuple[Any, ...], IntArray]] = []
    with connection.cursor() as cursor:
        if connection.vendor in ("sqlite", "postgresql"):
            sqlite = connection.vendor == "sqlite"
            agg = "group_concat(c)" if sqlite else "string_agg(int8send(c::bigint), ''::bytea)"
            cursor.execute(head + agg + tail, params)
            for *key, count, value in cursor.fetchall():
                members = (_decimal if sqlite else _binary)(value)
                if members.size != count:
                    raise ValueError("ticket ids did not come back whole")
                groups.append((tuple(key), members))
        else:
            cursor.execute(sql, params)
            for *key, pk in cursor.fetchall():
                groups.append((tuple(key), np.array([pk], dtype=np.int64)))
    for number, (key, members) in enumerate(groups):
        pos = np.clip(np.searchsorted(ids, members), 0, max(ids.size - 1, 0))
        pos = pos[ids[pos] == members] if ids.size else pos[:0]
        for field, value in zip(fields, key, strict=True):
            out[field][pos] = value
        digest[pos] = zlib.crc32("\x1f".join(map(str, key)).encode())
        code[pos] = number
    return Labels(out, digest, code)
