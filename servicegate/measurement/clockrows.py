"""Clock rows: one promise's clocks on a chunk of tickets as arrays, and the write that
rewrites only the clocks whose values changed.

A recomputation evaluates every clock in scope, but most come out as they were stored:
closed tickets under unchanged terms. Each row carries a digest of its values
(``Clock.fingerprint``); :func:`replace_changed` reads the stored ``(ticket, promise,
fingerprint)`` of the chunk, deletes the stored clocks that are gone or differ and
inserts the new ones that differ. Unchanged clocks keep their row and ``computed_at``.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection
from django.db.models import QuerySet

from servicegate.engines.clocks import NONE, STATES, ClockBatch
from servicegate.importers.writer import insert_columns
from servicegate.measurement.evaluation import CAUSE_NAMES
from servicegate.measurement.frames import Epoch, IntArray, Labels, TicketFrame, int_rows
from servicegate.measurement.models import Clock

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
LABELS = ("assignment_group", "channel", "priority")  # the ticket's, copied into each row
_STATE_NAMES = np.array(STATES, dtype=object)
_CAUSE_NAMES = np.array(CAUSE_NAMES, dtype=object)
_MET = STATES.index("met")
ID_BATCH = 20_000
COMPARE_LIMIT = 20_000
_BASIS = np.uint64(0xCBF29CE484222325)
_PRIME = np.uint64(0x100000001B3)


@dataclass(frozen=True)
class Rows:
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
    labels: dict[str, npt.NDArray[np.object_]]
    label_hash: IntArray

    @classmethod
    def of(
        cls,
        promise: int,
        metric: str,
        frame: TicketFrame,
        rows: IntArray,
        b: ClockBatch,
        causes: IntArray,
        labels: Labels,
    ) -> Rows:
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
            labels={k: v[rows] for k, v in labels.values.items()},
            label_hash=labels.hash[rows],
        )

    def __len__(self) -> int:
        return int(self.ticket.size)

    def take(self, mask: npt.NDArray[np.bool_]) -> Rows:
        """The rows where ``mask`` is true."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                changes[f.name] = value[mask]
        changes["labels"] = {k: v[mask] for k, v in self.labels.items()}
        return replace(self, **changes)

    def summarised(self) -> list[tuple[Any, ...]]:
        """What the per-day summary counts of each (decided) row, as in ``_summarised``."""
        day = np.datetime_as_string(self.decided.astype("datetime64[s]"), unit="D")
        return list(
            zip(
                [self.promise] * len(self),
                day.tolist(),
                self.labels["priority"].tolist(),
                self.labels["channel"].tolist(),
                _CAUSE_NAMES[self.cause].tolist(),
                (self.breached == 1).tolist(),
                strict=True,
            )
        )

    def fingerprint(self) -> IntArray:
        """A 64-bit digest per row of every stored value but ``computed_at``."""
        h = np.full(len(self), _BASIS, dtype=np.uint64)
        digest = [np.full(len(self), self.promise, dtype=np.int64)]
        digest.append(np.full(len(self), hash_text(self.metric), dtype=np.int64))
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name not in ("promise", "metric", "labels") and isinstance(value, np.ndarray):
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
class Stored:
    """The stored clocks of a chunk: ticket, promise, fingerprint and row id."""

    ticket: IntArray
    promise: IntArray
    fingerprint: IntArray
    id: IntArray

    @classmethod
    def of(cls, clocks: QuerySet[Clock]) -> Stored:
        """Read in table order (the matching sorts), which spares SQLite an index walk."""
        qs = clocks.order_by().values_list("ticket_id", "promise_id", "fingerprint", "id")
        a = int_rows(qs, 4, ordered=False)
        return cls(a[:, 0], a[:, 1], a[:, 2], a[:, 3])


SummaryKey = tuple[int, str, str, str, str]  # promise, day, priority, channel, cause


@dataclass
class Written:
    """What :func:`replace_changed` did to the clocks, and so to their per-day summary.

    ``rows`` inserted. The summary counts decided clocks: ``n`` and ``met`` hold the
    change of its counts per key, exact when few clocks changed; with many changed
    clocks, ``rebuild`` names the promises whose summary must be rebuilt instead.
    """

    rows: int = 0
    n: Counter[SummaryKey] = field(default_factory=Counter)
    met: Counter[SummaryKey] = field(default_factory=Counter)
    rebuild: set[int] = field(default_factory=set)

    def add(self, other: Written) -> None:
        self.rows += other.rows
        self.n.update(other.n)
        self.met.update(other.met)
        self.rebuild |= other.rebuild

    def count(self, clocks: list[tuple[Any, ...]], sign: int) -> None:
        for *key, breached in clocks:
            self.n[tuple(key)] += sign
            if not breached:
                self.met[tuple(key)] += sign


def replace_changed(batches: list[Rows], stored: Stored, now: int) -> Written:
    """Write the clocks of ``batches`` that differ from ``stored``; delete the rest."""
    prints = [rows.fingerprint() for rows in batches]
    tickets = [rows.ticket for rows in batches]
    promises = [np.full(len(rows), rows.promise, dtype=np.int64) for rows in batches]
    new_ticket = np.concatenate(tickets) if tickets else np.zeros(0, dtype=np.int64)
    new_promise = np.concatenate(promises) if promises else np.zeros(0, dtype=np.int64)
    new_print = np.concatenate(prints) if prints else np.zeros(0, dtype=np.int64)
    width = int(max(new_promise.max(initial=0), stored.promise.max(initial=0))) + 1
    new_key = new_ticket * width + new_promise
    old_key = stored.ticket * width + stored.promise
    unchanged = np.zeros(new_key.size, dtype=bool)
    kept = np.zeros(old_key.size, dtype=bool)
    if old_key.size and new_key.size:
        order = np.argsort(old_key, kind="stable")
        pos = np.clip(np.searchsorted(old_key[order], new_key), 0, old_key.size - 1)
        match = order[pos]
        unchanged = (old_key[match] == new_key) & (stored.fingerprint[match] == new_print)
        kept[match[unchanged]] = True
    gone = ~kept
    written = Written()
    # With few changed clocks, the summary changes by what the deleted ones counted and
    # what the new ones count; with many, their promises' summaries are rebuilt.
    exact = int(gone.sum()) <= COMPARE_LIMIT and int((~unchanged).sum()) <= COMPARE_LIMIT
    if exact:
        written.count(_summarised(stored.id[gone]), -1)
    else:
        written.rebuild = {int(p) for p in np.unique(stored.promise[gone])}
    delete_clocks(stored.id[gone])
    start = 0
    for rows, fingerprint in zip(batches, prints, strict=True):
        changed = ~unchanged[start : start + len(rows)]
        start += len(rows)
        if not changed.any():
            continue
        subset = rows.take(changed) if not changed.all() else rows
        if connection.vendor == "postgresql":
            copy_rows(subset.arrow(fingerprint[changed], now))
        else:
            columns = subset.columns(fingerprint[changed], now)
            insert_columns(Clock, COLUMNS, columns, epochs=STAMPS)
        written.rows += len(subset)
        decided = subset.take(subset.decided != NONE)
        if not exact and len(decided):
            written.rebuild.add(rows.promise)
        elif len(decided):
            written.count(decided.summarised(), +1)
    return written


def _summarised(ids: IntArray) -> list[tuple[Any, ...]]:
    """What the per-day summary counts of the decided clocks among ``ids``, one tuple each."""
    if not ids.size:
        return []
    out: list[tuple[Any, ...]] = []
    for batch in np.array_split(ids, -(-ids.size // ID_BATCH)):
        rows = (
            Clock.objects.filter(id__in=batch.tolist(), decided_at__isnull=False)
            .annotate(_day=Epoch("decided_at"))
            .values_list("promise_id", "_day", "priority", "channel", "cause", "breached")
        )
        for promise, decided, priority, channel, cause, breached in rows:
            day = str(np.datetime64(decided, "s").astype("datetime64[D]"))
            out.append((promise, day, priority, channel, cause, bool(breached)))
    return out


def delete_clocks(ids: IntArray) -> None:
    """Delete the clocks of these row ids (no cascades or signals hang on clocks)."""
    if not ids.size:
        return
    table = connection.ops.quote_name(Clock._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # one parameter, however many ids
            sql = f"DELETE FROM {table} WHERE id IN (SELECT value FROM json_each(%s))"
            cursor.execute(sql, [json.dumps(ids.tolist())])
        elif connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [ids.tolist()])
        else:
            for batch in np.array_split(ids, -(-ids.size // 1000)):
                doomed = Clock.objects.filter(id__in=batch.tolist())
                doomed._raw_delete(doomed.db)
