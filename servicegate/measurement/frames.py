"""Tickets and their events as numpy arrays, read with one ordered query each per chunk.

Instants are converted to UTC epoch seconds in the database (``Epoch``) and statuses
and priorities to small integer codes (``CASE``), so a chunk of 200,000 tickets and
their events arrives as plain integers without a Python object per value. An event's
instant, status and priority travel packed in one integer (``_packed_event``): the
driver's cost is per value fetched, and an event has millions of siblings.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    ExpressionWrapper,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from servicegate.engines.clocks import NONE
from servicegate.measurement.rules import PRIORITY_NAMES, STATUS_NAMES
from servicegate.operations.choices import TicketKind
from servicegate.operations.models import Ticket, TicketEvent

IntArray = npt.NDArray[np.int64]
KINDS: tuple[str, ...] = tuple(TicketKind.values)


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
            compiler, connection, template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"
        )


def _code(field: str, names: tuple[str, ...]) -> Case:
    """``names.index(value)`` in SQL; -1 for any other value."""
    whens = [When(**{field: name}, then=Value(i)) for i, name in enumerate(names)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def _int_rows(qs: QuerySet[Any], width: int) -> IntArray:
    """Run ``qs`` (a values_list of integers) with a raw cursor; rows as an (n, width) array."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # e.g. kind__in=[] when no promise is measured
        return np.zeros((0, width), dtype=np.int64)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return flat.reshape(len(rows), width)


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
            _kind=_code("kind", KINDS),
            _customer=Coalesce("customer_id", Value(-1)),
            _priority=_code("priority", PRIORITY_NAMES),
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
    a = _int_rows(qs, 8)
    return TicketFrame(a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4], a[:, 5], a[:, 6], a[:, 7])


@dataclass(frozen=True)
class EventFrame:
    """Events ordered by (ticket, at, seq): ticket id, epoch, status code, priority code."""

    ticket: IntArray
    at: IntArray
    status: IntArray
    priority: IntArray


def load_events(events: QuerySet[TicketEvent]) -> EventFrame:
    """``events`` in clock order, in one query."""
    packed = (
        (Epoch("at") + Value(EPOCH_SHIFT)) * Value(256)
        + (_code("status", STATUS_NAMES) + Value(1)) * Value(8)
        + (_code("priority", PRIORITY_NAMES) + Value(1))
    )
    qs = (
        events.order_by("ticket_id", "at", "seq")
        .annotate(_packed=ExpressionWrapper(packed, output_field=BigIntegerField()))
        .values_list("ticket_id", "_packed")
    )
    a = _int_rows(qs, 2)
    code = a[:, 1]
    at = (code >> 8) - EPOCH_SHIFT
    return EventFrame(a[:, 0], at, ((code >> 3) & 31) - 1, (code & 7) - 1)
