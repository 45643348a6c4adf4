"""Writes of measurement: recompute clocks (in bulk), start a recomputation job."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.core.jobs import job_start
from servicegate.core.models import Job
from servicegate.core.statistics import analyze
from servicegate.importers.writer import insert_columns
from servicegate.measurement import evaluation
from servicegate.measurement.applicability import BoolArray, Scope, assign_promises
from servicegate.measurement.clockrows import (
    ClockRows,
    LabelsOf,
    StoredClockKeys,
    key_width,
    replace_changed,
)
from servicegate.measurement.figures import figures_changed
from servicegate.measurement.frames import (
    LABELS,
    EventFrame,
    IntArray,
    Labels,
    TicketFrame,
    id_set,
    load_labels,
)
from servicegate.measurement.inputs import EVENT_FIELDS, ticket_inputs
from servicegate.measurement.models import Clock, ClockGroupSummary, ClockSummary
from servicegate.measurement.periods import period_start_sql
from servicegate.measurement.rules import (
    METRIC_KINDS,
    RESPONSE_METRICS,
    Terms,
    calendar_of,
    clock_rules,
    starts_at_opening,
)
from servicegate.measurement.selectors import can_recompute
from servicegate.measurement.summarycounts import SummaryChange
from servicegate.operations.models import Ticket
from servicegate.promises.models import Promise

CHUNK = 200_000
FEW = 1_000  # tickets named by id (a write's) whose stored clocks are read by id
ANALYZE_AFTER = 10_000  # rows written (and a tenth of the clocks) before statistics renew
ProgressFn = Callable[[int, int | None, str], None]


@dataclass
class RecomputeResult:
    """What a recomputation did."""

    tickets: int = 0
    clocks: int = 0  # computed
    written: int = 0  # of those, changed and written (the rest were stored as they are)
    seconds: float = 0.0
    promises: list[int] = field(default_factory=list)


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
    ``CHUNK``, each chunk with one ordered query each for the tickets' clock inputs,
    their labels' digests and their events (``inputs``) and one for the keys and
    fingerprints of their stored clocks. Only the
    clocks whose values changed are written (``clockrows``), with their tickets' labels
    read for them alone, and the per-day summary changes by what they count. The whole
    recomputation is one transaction, so readers see the old clocks or the new ones,
    never a mix.
    """
    started = time.perf_counter()
    at = int((now or datetime.now(UTC)).timestamp())
    if tickets is not None and not isinstance(tickets, QuerySet):
        tickets = list(tickets)  # read twice: for the tickets and for their stored clocks
    qs, whole = _scope_tickets(tickets, promise, calendar)
    scope = Scope.load()
    result = RecomputeResult(promises=[p.pk for p in scope.promises])
    written = SummaryChange()
    candidates = _candidates(scope)
    bounds = qs.aggregate(lo=Min("id"), hi=Max("id"), n=Count("id"))
    result.tickets = bounds["n"]
    lo, hi = bounds["lo"], bounds["hi"] or 0
    total = hi - lo + 1 if lo is not None else 0
    empty = whole and not Clock.objects.exists()
    with transaction.atomic(), _quick_delete(), _indexes_after(empty):
        _sort_in_memory()
        width = key_width()  # inside: no promise id of a stored clock reaches it
        if empty:  # the summaries count what is added from here on
            for summary in (ClockSummary, ClockGroupSummary):
                summary.objects.all().delete()  # one DELETE: nothing refers to them
        while lo is not None and lo <= hi:
            chunk = qs.filter(id__gte=lo, id__lt=lo + CHUNK)
            measurable = chunk.filter(candidates)
            inputs = ticket_inputs(measurable)
            frame = inputs.tickets
            assigned = assign_promises(frame, scope)
            events = _events_needed(inputs.events, frame.id[_needed(assigned, len(frame))])
            clocks = Clock.objects.filter(ticket_id__gte=lo, ticket_id__lt=lo + CHUNK)
            if isinstance(tickets, list) and len(tickets) <= FEW:
                clocks = clocks.filter(ticket_id__in=tickets)  # no subquery to compile
            elif not whole:
                clocks = clocks.filter(ticket__in=chunk.values("pk"))
            batches = _evaluate(frame, events, inputs.label_hash, assigned, scope, at)
            stored = StoredClockKeys.of(clocks, width)
            replace_changed(batches, stored, at, _labels_of(measurable, len(frame)), written)
            result.clocks += sum(len(b) for b in batches)
            lo += CHUNK
            if progress is not None:
                progress(min(lo, hi + 1) - bounds["lo"], total, f"{result.clocks:,} clocks")
        summary_apply(written)
        figures_changed()  # cached figures of the old clocks are not served again
    result.written = written.rows
    if result.written > max(ANALYZE_AFTER, result.clocks // 10):
        analyze(Clock, ClockSummary, ClockGroupSummary)  # statistics, after a large change
    result.seconds = time.perf_counter() - started
    return result


def clocks_follow(ticket_ids: list[int]) -> None:
    """Bring the clocks of the tickets ``ticket_ids`` up to date after a write to them.

    Called by every ticket write (``operations.ticket_services.tickets_changed``, listed in
    ``settings.SERVICEGATE_TICKETS_CHANGED``) inside its transaction, so the clocks, the
    at-risk list and the attainment summaries change with the ticket.
    """
    clocks_recompute(tickets=ticket_ids)


def _candidates(scope: Scope) -> Q:
    """Tickets any measured promise could apply to, by kind and priority (read no others)."""
    kinds = sorted({k for p in scope.promises for k in METRIC_KINDS[p.metric]})
    q = Q(kind__in=kinds)
    if all(p.priority for p in scope.promises):
        q &= Q(priority__in=sorted({p.priority for p in scope.promises}))
    return q


def _labels_of(tickets: QuerySet[Ticket], total: int) -> LabelsOf:
    """Reads the labels of some of ``tickets`` (``total`` of them): with one grouped query
    over all when most are wanted, else over just the wanted ones."""

    def read(ids: IntArray) -> Labels:
        if ids.size > total // 2:
            return load_labels(tickets, ids, LABELS)
        return load_labels(tickets.filter(id__in=id_set(ids)), ids, LABELS)

    return read


def _events_needed(events: EventFrame, ids: IntArray) -> EventFrame:
    """The events of the tickets ``ids`` (sorted) among ``events``."""
    if not ids.size:
        return EventFrame(*(getattr(events, f)[:0] for f in EVENT_FIELDS))
    pos = np.clip(np.searchsorted(ids, events.ticket), 0, ids.size - 1)
    keep = ids[pos] == events.ticket
    if keep.all():
        return events
    return EventFrame(*(getattr(events, f)[keep] for f in EVENT_FIELDS))


def _evaluate(
    frame: TicketFrame,
    events: EventFrame,
    label_hash: IntArray,
    assigned: dict[int, BoolArray],
    scope: Scope,
    now: int,
) -> list[ClockRows]:
    """The clocks of one chunk, a batch of rows per promise."""
    times = evaluation.status_times(frame, events, now)
    causes = evaluation.causes(times, frame.reassignments)
    batches: list[ClockRows] = []
    for i, covered in assigned.items():
        p = scope.promises[i]
        rows = np.flatnonzero(covered)
        cal = calendar_of(p.calendar)
        terms = Terms.of(p)
        s = evaluation.subset(
            frame,
            events,
            rows,
            response=p.metric in RESPONSE_METRICS,
            opened=starts_at_opening(terms),
        )
        batch = evaluation.evaluate(s, clock_rules(terms, cal), cal, now)
        batches.append(ClockRows.from_batch(p.pk, p.metric, frame, rows, batch, causes, label_hash))
    return batches


@contextmanager
def _indexes_after(bulk: bool) -> Iterator[None]:
    """On SQLite, a first computation builds the clock table's secondary indexes afterwards.

    Sorting 400,000 rows into a new index once costs a fraction of updating it row by
    row. Inside the transaction, so the indexes are back or the drop never happened;
    readers meanwhile see the old table and its indexes (WAL). PostgreSQL keeps its
    indexes: dropping one would lock out every reader until the commit.
    """
    if not bulk or connection.vendor != "sqlite":
        yield
        return
    editor = connection.schema_editor(collect_sql=True)  # only renders SQL, never entered
    editor.deferred_sql = []
    with connection.cursor() as cursor:
        for index in Clock._meta.indexes:
            cursor.execute(str(index.remove_sql(Clock, editor)))
        yield
        for index in Clock._meta.indexes:
            cursor.execute(str(index.create_sql(Clock, editor)))


def _sort_in_memory() -> None:
    """On PostgreSQL, this transaction sorts a chunk in memory rather than on disk.

    A chunk's ordered reads sort up to a few hundred thousand rows, which the default
    ``work_mem`` of 4 MB spills to temporary files.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")


@contextmanager
def _quick_delete() -> Iterator[None]:
    """On SQLite, deleted clock rows are not overwritten with zeros meanwhile.

    Debian's SQLite turns ``secure_delete`` on, which makes emptying the clock table
    rewrite every page of it; clocks are derived data and hold nothing to erase.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA secure_delete = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {int(before)}")


def _needed(assigned: dict[int, BoolArray], n: int) -> np.ndarray:
    """Per ticket of the chunk: whether any promise gets a clock on it."""
    needed = np.zeros(n, dtype=bool)
    for covered in assigned.values():
        needed |= covered
    return needed


def summary_rebuild(*, promise_ids: list[int] | None = None) -> None:
    """Rebuild the summaries of decided clocks (all promises, or the given ones): per day,
    and per customer and team by week and month."""
    quote = connection.ops.quote_name
    summary, groups = quote(ClockSummary._meta.db_table), quote(ClockGroupSummary._meta.db_table)
    clock = quote(Clock._meta.db_table)
    day = period_start_sql("day")
    where, params = "", []
    if promise_ids is not None:
        if not promise_ids:
            promise_ids = [-1]
        where = f"AND promise_id IN ({', '.join(['%s'] * len(promise_ids))})"
        params = list(promise_ids)
    met = "SUM(CASE WHEN breached THEN 0 ELSE 1 END)"
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (summary, groups):
            cursor.execute(f"DELETE FROM {table} WHERE 1=1 {where}", params)
        cursor.execute(
            f"INSERT INTO {summary} (promise_id, day, priority, channel, cause, n, met) "
            f"SELECT promise_id, {day}, priority, channel, cause, COUNT(*), {met} FROM {clock} "
            f"WHERE decided_at IS NOT NULL {where} "
            f"GROUP BY promise_id, {day}, priority, channel, cause",
            params,
        )
        for period in ("week", "month"):
            start = period_start_sql(period)
            cursor.execute(
                f"INSERT INTO {groups} (promise_id, period, start, customer_id, team, n, met) "
                f"SELECT promise_id, '{period}', {start}, customer_id, team, COUNT(*), {met} "
                f"FROM {clock} WHERE decided_at IS NOT NULL {where} "
                f"GROUP BY promise_id, {start}, customer_id, team",
                params,
            )
        figures_changed()


def summary_apply(written: SummaryChange) -> None:
    """Change the summaries by the counts in ``written``."""
    _apply(
        ClockSummary,
        ("promise_id", "day", "priority", "channel", "cause"),
        "day",
        written.n,
        written.met,
    )
    _apply(
        ClockGroupSummary,
        ("promise_id", "period", "start", "customer_id", "team"),
        "start",
        written.groups,
        written.groups_met,
    )


def _apply(
    model: type[ClockSummary] | type[ClockGroupSummary],
    names: tuple[str, ...],
    when: str,
    n: Mapping[Any, int],
    met: Mapping[Any, int],
) -> None:
    """Change a summary by counts per key (its fields ``names``: the promise first, the
    date field ``when`` among them, as ISO text).

    The rows of the keys concerned are read once; changed ones are updated in bulk, new
    keys inserted in bulk, keys whose count drops to nothing deleted.
    """
    deltas = {k: (dn, met.get(k, 0)) for k, dn in n.items()}
    deltas = {k: d for k, d in deltas.items() if d != (0, 0)}
    if not deltas:
        return
    promises = sorted({k[0] for k in deltas})
    at = names.index(when)
    dates = sorted({k[at] for k in deltas})
    rows = model.objects.filter(
        promise_id__in=promises, **{f"{when}__gte": dates[0], f"{when}__lte": dates[-1]}
    ).values_list("pk", *names, "n", "met")
    found: dict[Any, tuple[int, int, int]] = {}
    for pk, *values, stored_n, stored_met in rows.iterator(chunk_size=10_000):
        values[at] = str(values[at])
        key = tuple(values)
        if key in deltas:
            found[key] = (pk, stored_n, stored_met)
    changed: list[Any] = []
    emptied: list[int] = []
    created: list[tuple[Any, ...]] = []
    for key, (dn, dmet) in deltas.items():
        if key not in found:
            if dn > 0:
                created.append((*key, dn, dmet))
            continue
        pk, stored_n, stored_met = found[key]
        if stored_n + dn > 0:
            changed.append(model(pk=pk, n=stored_n + dn, met=stored_met + dmet))
        else:
            emptied.append(pk)
    model.objects.bulk_update(changed, ["n", "met"], batch_size=2_000)
    for lo in range(0, len(emptied), 2_000):
        model.objects.filter(pk__in=emptied[lo : lo + 2_000]).delete()
    columns = (*names, "n", "met")
    insert_columns(model, columns, [[row[i] for row in created] for i in range(len(columns))])


def clocks_recompute_start(
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
        raise PermissionDenied(
            _(
                "Only a service manager or quality manager may recompute clocks; "
                "ask one of them to start it."
            )
        )
    params: dict[str, Any] = {}
    title = _("Recompute all clocks")
    if promise is not None:
        params["promise"] = promise.pk
        title = _("Recompute clocks of promise %(id)s") % {"id": promise.pk}
    if calendar is not None:
        params["calendar"] = calendar.pk
        title = _("Recompute clocks on calendar %(name)s") % {"name": calendar.name}
    return job_start(kind="clocks_recompute", title=title, params=params, by=by)
