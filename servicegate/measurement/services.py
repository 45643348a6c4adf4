"""Writes of measurement: recompute clocks (in bulk), start a recomputation job."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Max, Min, Q, QuerySet

from servicegate.calendars.models import BusinessCalendar
from servicegate.core.jobs import job_start
from servicegate.core.models import Job
from servicegate.core.permissions import has_capability
from servicegate.core.statistics import analyze
from servicegate.engines.clocks import NONE, STATES, ClockBatch
from servicegate.importers.writer import insert_columns
from servicegate.measurement import evaluation
from servicegate.measurement.applicability import NO_PROMISE, Scope, assign_promises
from servicegate.measurement.frames import (
    EventFrame,
    IntArray,
    TicketFrame,
    load_events,
    load_tickets,
)
from servicegate.measurement.models import Clock, ClockSummary
from servicegate.measurement.rules import (
    METRIC_KINDS,
    RESPONSE_METRICS,
    Terms,
    calendar_of,
    clock_rules,
)
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.promises.models import Promise

CHUNK = 200_000
SPARSE = 0.5  # below this share of tickets with a clock, read events by id batches
ID_BATCH = 20_000
EVENT_FIELDS = ("ticket", "at", "status", "priority")
ProgressFn = Callable[[int, int | None, str], None]
RECOMPUTERS = ("plan_capacity", "lead_improvement")


@dataclass
class RecomputeResult:
    """What a recomputation did."""

    tickets: int = 0
    clocks: int = 0
    seconds: float = 0.0
    promises: list[int] = field(default_factory=list)


def can_recompute(user: Any) -> bool:
    """Recomputing and creating promises from a what-if need planning or KVP leadership."""
    return any(has_capability(user, c) for c in RECOMPUTERS)


def _scope_tickets(
    tickets: Iterable[int] | QuerySet[Ticket] | None,
    promise: Promise | None,
    calendar: BusinessCalendar | None,
) -> tuple[QuerySet[Ticket], bool]:
    """The tickets to recompute, and whether the ticket set is a plain id range."""
    qs = Ticket.objects.all()
    if tickets is not None:
        ids = tickets.values_list("pk", flat=True) if isinstance(tickets, QuerySet) else tickets
        return qs.filter(pk__in=list(ids)), False
    promises = []
    if promise is not None:
        promises = [promise]
    if calendar is not None:
        promises = list(Promise.objects.filter(calendar=calendar))
        if not promises:
            return qs.none(), False
    if promises:
        since = min(p.valid_from for p in promises)
        start = datetime(since.year, since.month, since.day, tzinfo=UTC)
        return qs.filter(opened_at__gte=start), False
    return qs, True


def clocks_recompute(
    *,
    tickets: Iterable[int] | QuerySet[Ticket] | None = None,
    promise: Promise | None = None,
    calendar: BusinessCalendar | None = None,
    progress: ProgressFn | None = None,
    now: datetime | None = None,
) -> RecomputeResult:
    """Recompute the clocks of every applicable promise on the tickets in scope.

    Scope: the given tickets; the tickets a promise (or every promise on a calendar)
    may apply to, i.e. those opened since its ``valid_from``; else every ticket. Every
    clock of a ticket in scope is replaced, since a change of one promise can move a
    ticket to another (see ``applicability``). Tickets are read in id chunks of
    ``CHUNK``, each chunk with one ordered query for tickets and one for events, and
    written with one delete and one multi-row insert per chunk in one transaction.
    """
    started = time.perf_counter()
    at = int((now or datetime.now(UTC)).timestamp())
    qs, whole = _scope_tickets(tickets, promise, calendar)
    scope = Scope.load()
    result = RecomputeResult(promises=[p.pk for p in scope.promises])
    touched: set[int] = set(result.promises)
    candidates = _candidates(scope)
    bounds = qs.aggregate(lo=Min("id"), hi=Max("id"))
    lo, hi = bounds["lo"], bounds["hi"] or 0
    total = hi - lo + 1 if lo is not None else 0
    while lo is not None and lo <= hi:
        chunk = qs.filter(id__gte=lo, id__lt=lo + CHUNK)
        frame = load_tickets(chunk.filter(candidates))
        assigned = assign_promises(frame, scope)
        events = _chunk_events(frame, assigned, chunk, whole, lo)
        written, before = _chunk(frame, events, assigned, scope, at, chunk, whole, lo)
        result.clocks += written
        touched |= before
        result.tickets += chunk.count() if len(frame) < CHUNK else len(frame)
        lo += CHUNK
        if progress is not None:
            progress(min(lo, hi + 1) - bounds["lo"], total, f"{result.tickets:,} tickets")
    summary_rebuild(promise_ids=None if whole else sorted(touched))
    analyze(Clock, ClockSummary)
    result.seconds = time.perf_counter() - started
    return result


def _candidates(scope: Scope) -> Q:
    """Tickets any measured promise could apply to, by kind and priority (read no others)."""
    kinds = sorted({k for p in scope.promises for k in METRIC_KINDS[p.metric]})
    q = Q(kind__in=kinds)
    if all(p.priority for p in scope.promises):
        q &= Q(priority__in=sorted({p.priority for p in scope.promises}))
    return q


def _chunk_events(
    frame: TicketFrame,
    assigned: dict[str, IntArray],
    chunk: QuerySet[Ticket],
    whole: bool,
    lo: int,
) -> EventFrame:
    """Events of the chunk's tickets that have a clock, in (ticket, at, seq) order.

    When most tickets have a clock, one query over the id range; when few do (a
    promise covers one segment of a million tickets), id batches of ``ID_BATCH`` read
    only their events.
    """
    ids = frame.id[_needed(assigned, len(frame))]
    if ids.size > SPARSE * len(frame):
        events = TicketEvent.objects.filter(ticket_id__gte=lo, ticket_id__lt=lo + CHUNK)
        if not whole:
            events = events.filter(ticket__in=chunk.values("pk"))
        loaded = load_events(events)
        # the id range also holds tickets no promise can apply to (other kind or
        # priority): drop their events, which have no row in the frame
        keep = np.isin(loaded.ticket, frame.id)
        if keep.all():
            return loaded
        return EventFrame(*(getattr(loaded, f)[keep] for f in EVENT_FIELDS))
    parts = [
        load_events(TicketEvent.objects.filter(ticket_id__in=batch.tolist()))
        for batch in np.array_split(ids, max(1, -(-ids.size // ID_BATCH)))
        if batch.size
    ]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return EventFrame(empty, empty, empty, empty)
    return EventFrame(*(np.concatenate([getattr(p, f) for p in parts]) for f in EVENT_FIELDS))


def _chunk(
    frame: TicketFrame,
    events: EventFrame,
    assigned: dict[str, IntArray],
    scope: Scope,
    now: int,
    chunk: QuerySet[Ticket],
    whole: bool,
    lo: int,
) -> tuple[int, set[int]]:
    """Evaluate and replace the clocks of one chunk; (clocks written, promises it had)."""
    times = evaluation.status_times(frame, events, now)
    cause = np.array(evaluation.causes(times, frame.reassignments), dtype=object)
    extra = _ticket_extras(frame, _needed(assigned, len(frame)))
    columns: list[list[Any]] = []
    for metric, which in assigned.items():
        for i, p in enumerate(scope.promises):
            if p.metric != metric:
                continue
            rows = np.flatnonzero(which == i)
            if rows.size == 0:
                continue
            cal = calendar_of(p.calendar)
            s = evaluation.subset(frame, events, rows, response=metric in RESPONSE_METRICS)
            batch = evaluation.evaluate(s, clock_rules(Terms.of(p), cal), cal, now)
            columns.append(_columns(p, frame, rows, batch, cause, extra, now))
    with transaction.atomic():
        doomed = Clock.objects.filter(ticket_id__gte=lo, ticket_id__lt=lo + CHUNK)
        before: set[int] = set()
        if not whole:
            doomed = doomed.filter(ticket__in=chunk.values("pk"))
            # a scoped recompute must also refresh the summary of promises it drops
            before = set(doomed.values_list("promise_id", flat=True).distinct())
        doomed._raw_delete(doomed.db)  # no cascades or signals hang on clocks
        return _insert(columns), before


def _needed(assigned: dict[str, IntArray], n: int) -> np.ndarray:
    """Per ticket of the chunk: whether any promise gets a clock on it."""
    needed = np.zeros(n, dtype=bool)
    for which in assigned.values():
        needed |= which != NO_PROMISE
    return needed


def _ticket_extras(frame: TicketFrame, needed: np.ndarray) -> dict[str, np.ndarray]:
    """Team, channel and priority of the chunk's tickets with a clock, ordered by id."""
    fields = ("id", "assignment_group", "channel", "priority")
    ids = frame.id[needed]
    rows: list[tuple[Any, ...]] = []
    if ids.size > SPARSE * len(frame):
        in_chunk = Ticket.objects.filter(id__gte=int(frame.id[0]), id__lte=int(frame.id[-1]))
        rows = list(in_chunk.order_by("id").values_list(*fields))
    elif ids.size:
        for batch in np.array_split(ids, max(1, -(-ids.size // ID_BATCH))):
            in_batch = Ticket.objects.filter(id__in=batch.tolist()).order_by("id")
            rows += list(in_batch.values_list(*fields))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    pos = np.searchsorted(ids, frame.id)
    arr = np.array([r[1:] for r in rows] or [("", "", "")], dtype=object)
    pos = np.clip(pos, 0, max(len(rows) - 1, 0))
    return {"team": arr[pos, 0], "channel": arr[pos, 1], "priority": arr[pos, 2]}


def _epochs(values: IntArray) -> list[str | None]:
    """The database's text of each epoch second (None for ``NONE``), made by numpy.

    SQLite stores naive UTC text, as Django does; PostgreSQL casts text with an offset
    to ``timestamptz``. No datetime object and no SQL function per value: numpy writes
    ``YYYY-MM-DDTHH:MM:SS``, and the ``T`` is overwritten in the array's code points.
    """
    text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s").astype("U19")
    text.view(np.uint32).reshape(-1, 19)[:, 10] = ord(" ")
    if connection.vendor != "sqlite":
        text = np.strings.add(text, "+00:00")
    out: list[str | None] = text.tolist()
    for i in np.flatnonzero(values == NONE).tolist():
        out[i] = None
    return out


def _columns(
    p: Promise,
    frame: TicketFrame,
    rows: IntArray,
    b: ClockBatch,
    cause: np.ndarray,
    extra: dict[str, np.ndarray],
    now: int,
) -> list[list[Any]]:
    n = rows.size
    state = np.array(STATES, dtype=object)[b.state]
    decided = np.where(
        b.breached, b.breach_at, np.where(state == "met", b.stopped_at, NONE)
    ).astype(np.int64)
    customer = frame.customer[rows]
    cols: list[list[Any]] = [
        frame.id[rows].tolist(),
        [p.pk] * n,
        [p.metric] * n,
        list(state),
        _epochs(b.started_at),
        _epochs(b.stopped_at),
        _epochs(b.deadline),
        b.business_elapsed.tolist(),
        b.elapsed.tolist(),
        b.paused_seconds.tolist(),
        b.breached.tolist(),
        _epochs(b.breach_at),
        _epochs(b.warnings[:, 0] if b.warnings.shape[1] else np.full(n, NONE)),
        np.where(b.target_seconds == NONE, 0, b.target_seconds).tolist(),
        b.cycles.tolist(),
        _epochs(decided),
        list(np.where(b.breached, cause[rows], "")),
        [None if c < 0 else c for c in customer.tolist()],
        list(extra["team"][rows]),
        list(extra["channel"][rows]),
        list(extra["priority"][rows]),
        _epochs(np.full(n, now, dtype=np.int64)),
    ]
    return cols


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
    "computed_at",
)


def _insert(columns: list[list[list[Any]]]) -> int:
    """Insert the clock rows, each promise's batch column by column (multi-row INSERTs)."""
    count = 0
    for cols in columns:
        insert_columns(Clock, COLUMNS, cols)
        count += len(cols[0])
    return count


def summary_rebuild(*, promise_ids: list[int] | None = None) -> None:
    """Rebuild the per-day summary of decided clocks (all promises, or the given ones)."""
    summary = connection.ops.quote_name(ClockSummary._meta.db_table)
    clock = connection.ops.quote_name(Clock._meta.db_table)
    day = (
        "CAST(decided_at AT TIME ZONE 'UTC' AS DATE)"
        if connection.vendor == "postgresql"
        else "substr(decided_at, 1, 10)"
    )
    where, params = "", []
    if promise_ids is not None:
        if not promise_ids:
            promise_ids = [-1]
        where = f"AND promise_id IN ({', '.join(['%s'] * len(promise_ids))})"
        params = list(promise_ids)
    with transaction.atomic(), connection.cursor() as cursor:
        if promise_ids is None:
            cursor.execute(f"DELETE FROM {summary}")
        else:
            cursor.execute(f"DELETE FROM {summary} WHERE 1=1 {where}", params)
        cursor.execute(
            f"INSERT INTO {summary} (promise_id, day, priority, channel, cause, n, met) "
            f"SELECT promise_id, {day}, priority, channel, cause, COUNT(*), "
            f"SUM(CASE WHEN breached THEN 0 ELSE 1 END) FROM {clock} "
            f"WHERE decided_at IS NOT NULL {where} "
            f"GROUP BY promise_id, {day}, priority, channel, cause",
            params,
        )


def recompute_start(
    *,
    by: User | None,
    promise: Promise | None = None,
    calendar: BusinessCalendar | None = None,
    check: bool = True,
) -> Job:
    """Start a background recomputation (kind ``clocks_recompute``).

    From the UI (``check``) the user needs ``plan_capacity`` or ``lead_improvement``;
    the signal handlers start it on behalf of the system.
    """
    if check and not can_recompute(by):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("plan_capacity")
    params: dict[str, Any] = {}
    title = "Recompute all clocks"
    if promise is not None:
        params["promise"] = promise.pk
        title = f"Recompute clocks of promise {promise.pk}"
    if calendar is not None:
        params["calendar"] = calendar.pk
        title = f"Recompute clocks on calendar {calendar.name}"
    return job_start(kind="clocks_recompute", title=title, params=params, by=by)
