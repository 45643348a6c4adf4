"""Clock rows: one promise's clocks on a chunk of tickets as arrays, and the write that
rewrites only the clocks whose values changed.

A recomputation evaluates every clock in scope, but most come out as they were stored:
closed tickets under unchanged terms. Each row carries a digest of its values
(``Clock.fingerprint``); :func:`replace_changed` reads the stored ``(ticket, promise)``
keys and fingerprints of the chunk, deletes the stored clocks that are gone or differ
and inserts the new ones that differ. Unchanged clocks keep their row and
``computed_at``. What the written and deleted clocks count in the per-day summary comes
back as a change per summary key (:class:`SummaryChange`), so the summary changes by as much.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection
from django.db.models import F, Max, QuerySet, Value

from servicegate.engines.clocks import NONE, STATES, ClockBatch
from servicegate.importers.writer import insert_columns
from servicegate.measurement.choices import Period
from servicegate.measurement.evaluation import CAUSE_NAMES
from servicegate.measurement.frames import LABELS, IntArray, Labels, TicketFrame, int_rows
from servicegate.measurement.models import Clock
from servicegate.measurement.periods import period_starts
from servicegate.measurement.summarycounts import (
    SummaryChange,
    grouped,
    keyed_conditions,
    stored_counts,
)
from servicegate.promises.models import Promise

COLUMNS = (
    "ticket_id",
    "promise_id",
    "metric",
    "state",
    "started_at",
    "stopped_at",
    "deadline",
    "business_elapsed_s",
    "elapsed_s",
    "paused_s",
    "breached",
    "breach_at",
    "warn_at",
    "target_s",
    "cycles",
    "decided_at",
    "cause",
    "customer_id",
    "team",
    "channel",
    "priority",
    "fingerprint",
    "computed_at",
)
STAMPS = tuple(n for n in COLUMNS if n.endswith("_at") or n == "deadline")
_STATE_NAMES = np.array(STATES, dtype=object)
_CAUSE_NAMES = np.array(CAUSE_NAMES, dtype=object)
_MET = STATES.index("met")
_UNSTORED = ("promise", "metric", "labels", "label_code")  # not digested per row
_BASIS = np.uint64(0xCBF29CE484222325)
_PRIME = np.uint64(0x100000001B3)


@dataclass(frozen=True)
class ClockRows:
    """The clocks of one promise (``promise``, ``metric``) on tickets of one chunk.

    Instants are epoch seconds, ``NONE`` for none; ``state`` indexes ``STATES``,
    ``cause`` indexes ``CAUSE_NAMES`` (set only on breached clocks).
    """

    promise: int
    metric: str
    ticket: IntArray
    state: IntArray
    started: IntArray
    stopped: IntArray
    deadline: IntArray
    business_elapsed: IntArray
    elapsed: IntArray
    paused: IntArray
    breached: IntArray
    breach_at: IntArray
    warn_at: IntArray
    target: IntArray
    cycles: IntArray
    decided: IntArray
    cause: IntArray
    customer: IntArray
    label_hash: IntArray  # a digest of the ticket's labels (see ``frames.LABELS``)
    # The labels' texts and the number of their combination in the chunk (not stored),
    # read only for the rows to be written (:meth:`with_labels`).
    labels: dict[str, npt.NDArray[np.object_]] = field(default_factory=dict)
    label_code: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @classmethod
    def from_batch(
        cls,
        promise: int,
        metric: str,
        frame: TicketFrame,
        rows: IntArray,
        b: ClockBatch,
        causes: IntArray,
        label_hash: IntArray,
    ) -> ClockRows:
        """The rows of a batch the engine evaluated on the frame's tickets ``rows``."""
        n = rows.size
        breached = b.breached.astype(np.int64)
        met = b.state == _MET
        decided = np.where(breached == 1, b.breach_at, np.where(met, b.stopped_at, NONE))
        return cls(
            promise=promise,
            metric=metric,
            ticket=frame.id[rows],
            state=b.state.astype(np.int64),
            started=b.started_at,
            stopped=b.stopped_at,
            deadline=b.deadline,
            business_elapsed=b.business_elapsed,
            elapsed=b.elapsed,
            paused=b.paused_seconds,
            breached=breached,
            breach_at=b.breach_at,
            warn_at=b.warnings[:, 0] if b.warnings.shape[1] else np.full(n, NONE),
            target=np.where(b.target_seconds == NONE, 0, b.target_seconds),
            cycles=b.cycles.astype(np.int64),
            decided=decided.astype(np.int64),
            cause=np.where(breached == 1, causes[rows], 0),
            customer=frame.customer[rows],
            label_hash=label_hash[rows],
        )

    def __len__(self) -> int:
        return int(self.ticket.size)

    def selected(self, mask: npt.NDArray[np.bool_]) -> ClockRows:
        """The rows where ``mask`` is true."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray) and value.size == mask.size:
                changes[f.name] = value[mask]
        changes["labels"] = {k: v[mask] for k, v in self.labels.items()}
        return replace(self, **changes)

    def with_labels(self, labels: Labels, ids: IntArray) -> ClockRows:
        """These rows with their tickets' labels, given aligned with the sorted ``ids``
        (which hold every ticket of the rows)."""
        pos = np.searchsorted(ids, self.ticket)
        values = {k: v[pos] for k, v in labels.values.items()}
        return replace(self, labels=values, label_code=labels.code[pos])

    def summary_counts(self, out: SummaryChange | None = None) -> SummaryChange:
        """What the summaries count of these rows (the decided ones), per key.

        Grouped by numpy on integer keys (day, cause, the chunk's label combination; week
        or month, customer, label combination for the customer/team summary); one Python
        tuple per group. The rows must be :meth:`with_labels`. Adds to ``out``, if given.
        """
        out = out if out is not None else SummaryChange()
        rows = np.flatnonzero(self.decided != NONE)
        if not rows.size:
            return out
        day = self.decided[rows] // 86_400  # the UTC day, as the summary counts it
        breached = self.breached[rows]
        first, n, met = grouped(breached, day, self.cause[rows], self.label_code[rows])
        days = np.datetime_as_string(day[first].astype("datetime64[D]")).tolist()
        at = rows[first]
        priorities = [str(p) for p in self.labels["priority"][at].tolist()]
        channels = [str(c) for c in self.labels["channel"][at].tolist()]
        causes = [CAUSE_NAMES[c] for c in self.cause[at].tolist()]
        for k, count, kept in zip(
            zip([self.promise] * at.size, days, priorities, channels, causes, strict=True),
            n,
            met,
            strict=True,
        ):
            out.n[k] += count
            out.met[k] += kept
        customer = self.customer[rows]
        for period in (Period.WEEK, Period.MONTH):
            start = period_starts(day, period)
            first, n, met = grouped(breached, start, customer, self.label_code[rows])
            starts = np.datetime_as_string(start[first].astype("datetime64[D]")).tolist()
            at = rows[first]
            whos = [c if c >= 0 else None for c in self.customer[at].tolist()]
            teams = [str(t) for t in self.labels["assignment_group"][at].tolist()]
            for g, count, kept in zip(
                zip([self.promise] * at.size, [period] * at.size, starts, whos, teams, strict=True),
                n,
                met,
                strict=True,
            ):
                out.groups[g] += count
                out.groups_met[g] += kept
        return out

    def fingerprint(self) -> IntArray:
        """A 64-bit digest per row of every stored value but ``computed_at``."""
        h = np.full(len(self), _BASIS, dtype=np.uint64)
        digest = [np.full(len(self), self.promise, dtype=np.int64)]
        digest.append(np.full(len(self), hash_text(self.metric), dtype=np.int64))
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name not in _UNSTORED and isinstance(value, np.ndarray):
                digest.append(value)
        for column in digest:
            h ^= np.ascontiguousarray(column, dtype=np.int64).view(np.uint64)
            h *= _PRIME
            h ^= h >> np.uint64(29)
        return h.view(np.int64)

    def columns(self, fingerprint: IntArray, now: int) -> list[list[Any]]:
        """The rows' values in ``COLUMNS`` order, ready for :func:`insert_columns`."""
        n = len(self)
        customer: list[Any] = self.customer.tolist()
        for i in np.flatnonzero(self.customer < 0).tolist():
            customer[i] = None
        return [
            self.ticket.tolist(),
            [self.promise] * n,
            [self.metric] * n,
            _STATE_NAMES[self.state].tolist(),
            _epochs(self.started),
            _epochs(self.stopped),
            _epochs(self.deadline),
            self.business_elapsed.tolist(),
            self.elapsed.tolist(),
            self.paused.tolist(),
            (self.breached == 1).tolist(),
            _epochs(self.breach_at),
            _epochs(self.warn_at),
            self.target.tolist(),
            self.cycles.tolist(),
            _epochs(self.decided),
            _CAUSE_NAMES[self.cause].tolist(),
            customer,
            *(self.labels[k].tolist() for k in LABELS),
            fingerprint.tolist(),
            _epochs(np.full(n, now, dtype=np.int64)),
        ]

    def arrow(self, fingerprint: IntArray, now: int) -> pa.Table:
        """The rows as an Arrow table in ``COLUMNS`` order, built from the arrays as they
        are (for PostgreSQL's COPY: no Python object per value)."""
        n = len(self)

        def stamp(values: IntArray) -> pa.Array:
            # naive: Arrow writes zoned instants fourteen times slower, and Django keeps
            # its PostgreSQL sessions in UTC, in which COPY reads them
            return pa.array(values, mask=values == NONE).cast(pa.timestamp("s"))

        def text(values: npt.NDArray[Any]) -> pa.Array:
            return pa.array(values, type=pa.string())

        data = [
            pa.array(self.ticket),
            pa.array(np.full(n, self.promise, dtype=np.int64)),
            text(np.full(n, self.metric, dtype=object)),
            text(_STATE_NAMES[self.state]),
            stamp(self.started),
            stamp(self.stopped),
            stamp(self.deadline),
            pa.array(self.business_elapsed),
            pa.array(self.elapsed),
            pa.array(self.paused),
            pa.array(self.breached == 1),
            stamp(self.breach_at),
            stamp(self.warn_at),
            pa.array(self.target),
            pa.array(self.cycles),
            stamp(self.decided),
            text(_CAUSE_NAMES[self.cause]),
            pa.array(self.customer, mask=self.customer < 0),
            *(text(self.labels[k]) for k in LABELS),
            pa.array(fingerprint),
            stamp(np.full(n, now, dtype=np.int64)),
        ]
        return pa.Table.from_arrays(data, names=list(COLUMNS))


def copy_rows(table: pa.Table) -> None:
    """PostgreSQL: the clock rows through ``COPY … (FORMAT csv)``, the CSV written by Arrow.

    Arrow writes a null as nothing and an empty text as ``""``, as COPY reads them.
    """
    buffer = pa.BufferOutputStream()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in COLUMNS)  # the columns' own names
    sql = f"COPY {quote(Clock._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)"
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(buffer.getvalue().to_pybytes())


def hash_text(text: str) -> int:
    """A stable integer of a text (Python's ``hash`` of a str changes per process)."""
    return zlib.crc32(text.encode())


def _epochs(values: IntArray) -> list[Any]:
    """Each epoch second as the database takes it (None for ``NONE``).

    SQLite gets the integers (``insert_columns`` converts them in SQL, see ``STAMPS``);
    PostgreSQL text with an offset, which COPY casts to ``timestamptz``, made by numpy:
    ``YYYY-MM-DDTHH:MM:SS`` with the ``T`` overwritten in the array's code points.
    """
    out: list[Any]
    if connection.vendor == "sqlite":
        out = values.tolist()
    else:
        text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s").astype("U19")
        text.view(np.uint32).reshape(-1, 19)[:, 10] = ord(" ")
        out = np.strings.add(text, "+00:00").tolist()
    for i in np.flatnonzero(values == NONE).tolist():
        out[i] = None
    return out


@dataclass(frozen=True)
class StoredClockKeys:
    """The stored clocks of a chunk: each one's key (``ticket * width + promise``) and
    fingerprint. Two values a row, computed by the database: the read is a fifth of a
    recomputation's time on SQLite, and its cost grows with every value fetched."""

    width: int
    key: IntArray
    fingerprint: IntArray

    @classmethod
    def of(cls, clocks: QuerySet[Clock], width: int) -> StoredClockKeys:
        """Read in table order (the matching sorts), which spares SQLite an index walk."""
        qs = (
            clocks.order_by()
            .annotate(_key=F("ticket_id") * Value(width) + F("promise_id"))
            .values_list("_key", "fingerprint")
        )
        a = int_rows(qs, 2, ordered=False)
        return cls(width, a[:, 0], a[:, 1])


def key_width() -> int:
    """A multiplier that makes ``ticket * width + promise`` unique for every clock."""
    most = [
        Promise.objects.aggregate(m=Max("id"))["m"] or 0,
        Clock.objects.aggregate(m=Max("promise_id"))["m"] or 0,
    ]
    return max(most) + 1


LabelsOf = Callable[[IntArray], Labels]  # the labels of some tickets, aligned with their ids


def replace_changed(
    batches: list[ClockRows],
    stored: StoredClockKeys,
    now: int,
    labels_of: LabelsOf,
    written: SummaryChange | None = None,
) -> SummaryChange:
    """Write the clocks of ``batches`` that differ from ``stored``; delete the rest.

    ``labels_of`` reads the labels of the tickets whose clocks are written. What was
    written is added to ``written``, if given.
    """
    prints = [rows.fingerprint() for rows in batches]
    width = stored.width
    keys = [rows.ticket * width + rows.promise for rows in batches]
    new_key = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    new_print = np.concatenate(prints) if prints else np.zeros(0, dtype=np.int64)
    unchanged = np.zeros(new_key.size, dtype=bool)
    kept = np.zeros(stored.key.size, dtype=bool)
    if stored.key.size and new_key.size:
        order = np.argsort(stored.key, kind="stable")
        pos = np.clip(np.searchsorted(stored.key[order], new_key), 0, stored.key.size - 1)
        match = order[pos]
        unchanged = (stored.key[match] == new_key) & (stored.fingerprint[match] == new_print)
        kept[match[unchanged]] = True
    gone = stored.key[~kept]
    written = written if written is not None else SummaryChange()
    stored_counts(gone, width, written, -1)  # before they go
    delete_clocks(gone, width)
    changed_ticket = np.unique(new_key[~unchanged] // width)
    labels = labels_of(changed_ticket) if changed_ticket.size else None
    start = 0
    for rows, fingerprint in zip(batches, prints, strict=True):
        changed = ~unchanged[start : start + len(rows)]
        start += len(rows)
        if not changed.any() or labels is None:
            continue
        subset = rows.selected(changed) if not changed.all() else rows
        subset = subset.with_labels(labels, changed_ticket)
        if connection.vendor == "postgresql":
            copy_rows(subset.arrow(fingerprint[changed], now))
        else:
            columns = subset.columns(fingerprint[changed], now)
            insert_columns(Clock, COLUMNS, columns, epochs=STAMPS)
        written.rows += len(subset)
        subset.summary_counts(written)
    return written


def delete_clocks(keys: IntArray, width: int) -> None:
    """Delete the clocks of these keys (no cascades or signals hang on clocks)."""
    table = connection.ops.quote_name(Clock._meta.db_table)
    with connection.cursor() as cursor:
        for where, params in keyed_conditions(keys, width):
            cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
