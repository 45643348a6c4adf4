"""Reads of measurement: attainment with Wilson intervals, at-risk list, breaches, clocks.

Attainment counts *decided* clocks (met, or breached — a breach cannot be undone) in
the period in which the outcome became certain (``Clock.decided_at``, UTC days). The
dashboard reads the per-day ``ClockSummary``, attainment by customer or team the weekly
and monthly ``ClockGroupSummary``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from django.db.models import (
    DecimalField,
    F,
    QuerySet,
    Sum,
)
from django.utils import timezone

from servicegate.core.permissions import has_capability
from servicegate.engines.attainment import wilson_interval
from servicegate.measurement.choices import OPEN_STATES, ClockState, GroupBy, Period
from servicegate.measurement.coverage import undecided_counts, undecided_counts_per_promise
from servicegate.measurement.models import Clock, ClockGroupSummary, ClockSummary
from servicegate.measurement.periods import PeriodStart, period_start
from servicegate.measurement.rules import calendar_of
from servicegate.operations.choices import Channel, TicketStatus
from servicegate.operations.models import Ticket
from servicegate.operations.selectors import tickets_visible_to
from servicegate.promises.models import Promise

# The condition of the partial at-risk index, as literal SQL: SQLite uses a partial index
# only when the query's WHERE clause shows the same condition with its values written
# out; bound parameters (what ``state__in`` makes) hide them and the clock table is
# scanned (a fifth of a second on 440,000 clocks).
assert all(s.replace("_", "").isalpha() for s in OPEN_STATES)
_OPEN_CONDITION = '"measurement_clock"."state" IN ({})'.format(
    ", ".join(f"'{s}'" for s in OPEN_STATES)
)


def _open_clocks() -> QuerySet[Clock]:
    """Clocks in an open state, selected so that the at-risk index serves the query."""
    assert Clock._meta.db_table == "measurement_clock"
    return Clock.objects.extra(where=[_OPEN_CONDITION])


MAX_CANDIDATES = 2000


#: Capabilities that may recompute clocks and create promises from a what-if.
RECOMPUTERS = ("plan_capacity", "lead_improvement")


def can_recompute(user: Any) -> bool:
    """Recomputing and creating promises from a what-if need planning or KVP leadership."""
    return any(has_capability(user, c) for c in RECOMPUTERS)


@dataclass(frozen=True)
class Attainment:
    """Met share of decided clocks in one group and period, with its Wilson interval."""

    group: str
    period: date | None
    n: int
    met: int
    rate: float | None
    ci_low: float
    ci_high: float
    level: float | None  # promised attainment (fraction), if one applies
    # Over all time only (None in per-period rows): clocks in scope that never started,
    # and all clocks in scope (decided, running, paused or not started).
    not_started: int | None = None
    in_scope: int | None = None

    @property
    def coverage(self) -> float | None:
        """Decided clocks / tickets in scope; None per period or without a scope."""
        if not self.in_scope:
            return None
        return self.n / self.in_scope

    @property
    def level_percent(self) -> float | None:
        return None if self.level is None else 100 * self.level

    @property
    def coverage_percent(self) -> float | None:
        coverage = self.coverage
        return None if coverage is None else 100 * coverage

    @property
    def percents(self) -> tuple[float, float, float] | None:
        """Rate and interval in percent, for display; None without decided clocks."""
        if self.rate is None:
            return None
        return 100 * self.rate, 100 * self.ci_low, 100 * self.ci_high

    @property
    def kept(self) -> bool | None:
        if self.rate is None or self.level is None:
            return None
        return self.rate >= self.level


def attainment_of(
    group: str, period: date | None, n: int, met: int, level: float | None
) -> Attainment:
    low, high = wilson_interval(met, n)
    return Attainment(group, period, n, met, met / n if n else None, low, high, level)


def current_period(period: str, now: datetime | None = None) -> date:
    """The first day of the period (UTC) that is still running: it is incomplete."""
    return period_start((now or timezone.now()).astimezone(UTC).date(), period)


def is_partial(row: Attainment, period: str | None, now: datetime | None = None) -> bool:
    """Whether ``row`` is of the current, incomplete period."""
    return bool(period) and row.period == current_period(str(period), now)


# Groupings the daily summary can answer (it keeps promise, day, priority and channel).
SUMMARY_FIELDS: dict[str, str] = {
    GroupBy.PROMISE: "promise_id",
    GroupBy.PRODUCT: "promise__product__name",
    GroupBy.SEGMENT: "promise__segment__name",
    GroupBy.CHANNEL: "channel",
    GroupBy.PRIORITY: "priority",
}


def attainment(
    *,
    group_by: str = GroupBy.PROMISE,
    period: str | None = None,
    promise: int | Sequence[int] | None = None,
) -> list[Attainment]:
    """Attainment per group (and period), aggregated in SQL.

    From the daily summary where it keeps the grouping (a few thousand rows), else from
    the summary per customer and team by week and month. Both give what grouping the
    clocks themselves gives; the promised level of a group is the mean over its clocks.
    Over all time (no ``period``) each row also counts the clocks not started and the
    tickets in scope (``measurement.coverage``); a group whose clocks are all undecided
    gets a row with no decided clocks, so that it does not vanish.
    """
    if group_by in SUMMARY_FIELDS:
        rows = _attainment_from_summary(group_by, period, promise)
    else:
        rows = _attainment_from_groups(group_by, period, promise)
    if period:
        return rows
    ids = [promise] if isinstance(promise, int) else promise
    return _with_scope(rows, undecided_counts(group_by, ids), group_by)


def _with_scope(
    rows: list[Attainment], counts: dict[str, tuple[int, int]], group_by: str
) -> list[Attainment]:
    out = []
    for r in rows:
        undecided, not_started = counts.pop(r.group, (0, 0))
        out.append(replace(r, not_started=not_started, in_scope=r.n + undecided))
    levels: dict[str, float] = {}
    if group_by == GroupBy.PROMISE and counts:
        found = Promise.objects.filter(pk__in=[int(g) for g in counts if g.isdigit()])
        levels = {
            str(pk): float(v) / 100 for pk, v in found.values_list("pk", "attainment_percent")
        }
    for group, (undecided, not_started) in sorted(counts.items()):
        blank = attainment_of(group, None, 0, 0, levels.get(group))
        out.append(replace(blank, not_started=not_started, in_scope=undecided))
    return out


def worst_first(rows: list[Attainment]) -> list[Attainment]:
    """Groups by their attainment over the rows, worst first (groups with no decided clock
    last), each group's periods in time order."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        totals[r.group][0] += r.met
        totals[r.group][1] += r.n

    def key(r: Attainment) -> tuple[bool, float, str, date]:
        met, n = totals[r.group]
        return (n == 0, met / n if n else 0.0, r.group, r.period or date.min)

    return sorted(rows, key=key)


def promise_attainment(promise_ids: Sequence[int]) -> dict[int, Attainment]:
    """Attainment of each promise over all its clocks (the figures of
    ``attainment(group_by="promise", promise=id)``); promises without clocks are absent."""
    rows = attainment(group_by=GroupBy.PROMISE, promise=list(promise_ids))
    return {int(r.group): r for r in rows if r.group.isdigit()}


def _attainment_from_summary(
    group_by: str, period: str | None, promise: int | Sequence[int] | None
) -> list[Attainment]:
    cells = ClockSummary.objects.all()
    if period:
        cells = cells.annotate(period_start=PeriodStart("day", period, of_date=True))
    return _attainment_of_cells(cells, SUMMARY_FIELDS[group_by], period, promise)


GROUP_SUMMARY_FIELDS: dict[str, str] = {
    GroupBy.CUSTOMER: "customer__name",
    GroupBy.TEAM: "team",
}


def _attainment_from_groups(
    group_by: str, period: str | None, promise: int | Sequence[int] | None
) -> list[Attainment]:
    cells = ClockGroupSummary.objects.filter(period="week" if period == Period.WEEK else "month")
    if period:
        cells = cells.annotate(period_start=PeriodStart("start", period, of_date=True))
    return _attainment_of_cells(cells, GROUP_SUMMARY_FIELDS[group_by], period, promise)


def _attainment_of_cells(
    cells: QuerySet[Any], field: str, period: str | None, promise: int | Sequence[int] | None
) -> list[Attainment]:
    """Attainment per ``field`` (and ``period_start``) over summary rows (``n``, ``met``);
    the promised level weighted by each row's clocks."""
    if isinstance(promise, int):
        cells = cells.filter(promise_id=promise)
    elif promise is not None:
        cells = cells.filter(promise_id__in=list(promise))
    keys = [field, "period_start"] if period else [field]
    rows = (
        cells.values(*keys)
        .annotate(
            total=Sum("n"),
            kept=Sum("met"),
            weighted=Sum(F("n") * F("promise__attainment_percent"), output_field=DecimalField()),
        )
        .order_by(*keys)
    )
    out = []
    for r in rows:
        n = r["total"] or 0
        level = float(r["weighted"]) / n / 100 if n and r["weighted"] is not None else None
        group = str(r[field] or "–")
        out.append(attainment_of(group, r.get("period_start"), n, r["kept"] or 0, level))
    return out


def summary_rows(*, promise_ids: Iterable[int] | None = None) -> QuerySet[ClockSummary]:
    rows = ClockSummary.objects.all()
    if promise_ids is not None:
        rows = rows.filter(promise_id__in=list(promise_ids))
    return rows


def _promise_cells(
    promises: list[Promise], period: str | None
) -> dict[tuple[int, date | None], tuple[int, int]]:
    """``(promise id, period start or None) → (decided, met)`` from the daily summary."""
    cells = summary_rows(promise_ids=[p.pk for p in promises])
    keys = ["promise_id"]
    if period:
        cells = cells.annotate(period=PeriodStart("day", period, of_date=True))
        keys.append("period")
    rows = cells.values(*keys).annotate(total=Sum("n"), kept=Sum("met"))
    return {(r["promise_id"], r.get("period")): (r["total"] or 0, r["kept"] or 0) for r in rows}


def trend(
    *, promises: list[Promise], period: str
) -> tuple[list[date], dict[int, list[Attainment]]]:
    """Per promise: attainment per period from the daily summary (one small query)."""
    cells = _promise_cells(promises, period)
    periods = sorted({d for _p, d in cells if d is not None})
    result = {}
    for p in promises:
        level = float(p.attainment_percent) / 100
        name = str(p)  # translated display values: once per promise, not per period
        result[p.pk] = [
            attainment_of(name, d, *cells.get((p.pk, d), (0, 0)), level) for d in periods
        ]
    return periods, result


def overall(*, promises: list[Promise]) -> list[Attainment]:
    """Per promise, in the given order: attainment over all its decided clocks."""
    cells = _promise_cells(promises, None)
    return [
        attainment_of(
            str(p), None, *cells.get((p.pk, None), (0, 0)), float(p.attainment_percent) / 100
        )
        for p in promises
    ]


def _pair(cell: list[int] | None) -> tuple[int, int]:
    return (cell[0], cell[1]) if cell else (0, 0)


def pareto(*, promises: list[Promise], since: date | None = None) -> list[tuple[str, int]]:
    """Breaches per cause, most frequent first (from the daily summary)."""
    rows = summary_rows(promise_ids=[p.pk for p in promises])
    if since is not None:
        rows = rows.filter(day__gte=since)
    agg = rows.values("cause").annotate(breaches=Sum(F("n") - F("met"))).order_by("-breaches")
    return [(r["cause"], int(r["breaches"])) for r in agg if r["breaches"]]


@dataclass(frozen=True)
class AtRisk:
    """A running clock past its warning point (or breached already), with the business
    time left until its deadline (negative: overdue by)."""

    clock: Clock
    business_left_s: int

    @property
    def overdue(self) -> bool:
        return self.business_left_s < 0

    @property
    def left(self) -> str:
        """Business time left (or overdue by) as ``H:MM``."""
        minutes = abs(self.business_left_s) // 60
        return f"{minutes // 60}:{minutes % 60:02d}"


def at_risk_candidates(*, now: datetime) -> QuerySet[Clock]:
    """Running clocks whose warning point has passed (``clock_warning_idx``), breached
    ones included; paused clocks wait for the customer and are left out."""
    return (
        _open_clocks()
        .filter(warn_at__lte=now)
        .exclude(state=ClockState.PAUSED)
        .select_related(
            "ticket__customer", "ticket__asset", "ticket__technician", "promise__calendar"
        )
        .order_by("warn_at", "id")
    )


def visible_candidates(candidates: QuerySet[Clock], user: Any) -> QuerySet[Clock]:
    """``candidates`` on the tickets ``user`` may open (``tickets_visible_to``).

    Filtered only when the view is restricted (a technician's own tickets, none without
    the right): "in every ticket" as a subquery makes SQLite walk all tickets for their
    clocks instead of reading the few open clocks past their warning point.
    """
    visible = tickets_visible_to(user)
    if visible.query.is_empty() or visible.query.where.children:
        return candidates.filter(ticket__in=visible.values("pk"))
    return candidates


def at_risk(*, user: Any = None, now: datetime | None = None, limit: int = 50) -> list[AtRisk]:
    """Clocks at risk, least business time left first (overdue ones first of all).

    The business time left is counted on each promise's calendar, because deadline
    order and business-time order differ between calendars. With ``user``, only the
    clocks of tickets that user may open (a technician: their own).
    """
    from servicegate.engines import sla

    now = now or timezone.now()
    candidates = at_risk_candidates(now=now)
    if user is not None:
        candidates = visible_candidates(candidates, user)
    clocks = [c for c in candidates[:MAX_CANDIDATES] if c.deadline is not None]
    t = int(now.timestamp())
    # one engine call per calendar for all its clocks (a call builds the calendar's
    # timeline over the span, the costly part)
    by_calendar: dict[int, list[int]] = defaultdict(list)
    for i, clock in enumerate(clocks):
        by_calendar[clock.promise.calendar_id].append(i)
    left = np.zeros(len(clocks), dtype=np.int64)
    for rows in by_calendar.values():
        deadlines = np.array(
            [int(clocks[i].deadline.timestamp()) for i in rows],  # type: ignore[union-attr]
            dtype=np.int64,
        )
        calendar = calendar_of(clocks[rows[0]].promise.calendar)
        spans = sla.business_seconds(calendar, np.minimum(t, deadlines), np.maximum(t, deadlines))
        left[rows] = np.where(deadlines >= t, spans, -spans)
    out = [AtRisk(c, int(s)) for c, s in zip(clocks, left.tolist(), strict=True)]
    out.sort(key=lambda a: (a.business_left_s, a.clock.deadline, a.clock.pk))
    return out[:limit]


def at_risk_row(item: AtRisk) -> dict[str, Any]:
    """An at-risk clock as plain values (the API's row)."""
    clock, ticket = item.clock, item.clock.ticket
    return {
        "clock": clock.pk,
        "ticket": ticket.pk,
        "number": ticket.number,
        "title": ticket.title,
        "promise": clock.promise_id,
        "metric": clock.metric,
        "state": clock.state,
        "customer": str(ticket.customer.name) if ticket.customer else "",
        "asset": str(ticket.asset) if ticket.asset else "",
        "assignee": ticket.technician.name if ticket.technician else "",
        "deadline": clock.deadline,
        "warn_at": clock.warn_at,
        "business_left_s": item.business_left_s,
    }


@dataclass(frozen=True)
class Breach:
    """A breached clock with what its ticket went through."""

    clock: Clock
    status_hours: dict[str, float]
    reassignments: int
    waiting_hours: float
    channel: str

    @property
    def hours_by_status_label(self) -> list[tuple[str, float]]:
        """Hours per status, each status by its label (for display)."""
        labels = dict(TicketStatus.choices)
        return [(str(labels.get(s, s)), h) for s, h in self.status_hours.items()]

    @property
    def channel_label(self) -> str:
        return str(dict(Channel.choices).get(self.channel, self.channel or "–"))


def breaches(*, promise: Promise, limit: int = 25) -> list[Breach]:
    """The latest breaches of ``promise`` with time per status (two queries)."""
    clocks = list(
        Clock.objects.filter(promise=promise, breached=True)
        .select_related("ticket")
        .order_by("-breach_at")[:limit]
    )
    from servicegate.operations.models import TicketEvent

    events = TicketEvent.objects.filter(ticket_id__in=[c.ticket_id for c in clocks]).order_by(
        "ticket_id", "at", "seq"
    )
    per: dict[int, list[TicketEvent]] = defaultdict(list)
    for e in events.only("ticket_id", "at", "status"):
        per[e.ticket_id].append(e)
    now = timezone.now()
    out = []
    for c in clocks:
        hours: dict[str, float] = defaultdict(float)
        evs = per[c.ticket_id]
        for e, nxt in zip(evs, [*evs[1:], None], strict=True):
            end = nxt.at if nxt is not None else (now if c.ticket.is_open else e.at)
            hours[e.status] += (end - e.at).total_seconds() / 3600
        waiting = sum(v for k, v in hours.items() if k.startswith("awaiting"))
        out.append(Breach(c, dict(hours), c.ticket.reassignment_count, waiting, c.channel))
    return out


def ticket_clocks(ticket: Ticket) -> list[Clock]:
    return list(Clock.objects.filter(ticket=ticket).select_related("promise").order_by("metric"))


def measured_promises() -> list[Promise]:
    """Promises that carry clocks (decided ones, or only undecided ones), by id."""
    # no ordering: the summary's default one (promise, day) would make the DISTINCT
    # return a row per promise and day
    ids = set(ClockSummary.objects.order_by().values_list("promise_id", flat=True).distinct())
    ids |= set(undecided_counts_per_promise())
    return list(
        Promise.objects.filter(pk__in=ids)
        .select_related("segment", "product", "customer", "contract")
        .order_by("pk")
    )


def dashboard_filters(params: dict[str, Any]) -> dict[str, Any]:
    period = params.get("period") or Period.MONTH
    if period not in Period.values:
        period = Period.MONTH
    # ids only: anything else selects nothing, and would only multiply cached pages
    promise, segment = str(params.get("promise") or ""), str(params.get("segment") or "")
    return {
        "promise": promise if promise.isascii() and promise.isdigit() else "",
        "segment": segment if segment.isascii() and segment.isdigit() else "",
        "period": period,
    }


def customer_attainment(
    *, customer_id: int, promises: list[Promise], period: str = Period.MONTH
) -> dict[int, list[Attainment]]:
    """Per promise: one customer's attainment per period (oldest first), from the weekly
    and monthly summary per customer (one query); promises without decided clocks of the
    customer get an empty list."""
    cells = ClockGroupSummary.objects.filter(
        period="week" if period == Period.WEEK else "month",
        customer_id=customer_id,
        promise_id__in=[p.pk for p in promises],
    ).annotate(period_start=PeriodStart("start", period, of_date=True))
    rows = (
        cells.values("promise_id", "period_start")
        .annotate(total=Sum("n"), kept=Sum("met"))
        .order_by("promise_id", "period_start")
    )
    result: dict[int, list[Attainment]] = {p.pk: [] for p in promises}
    levels = {p.pk: float(p.attainment_percent) / 100 for p in promises}
    for r in rows:
        pk = r["promise_id"]
        result[pk].append(
            attainment_of(str(pk), r["period_start"], r["total"] or 0, r["kept"] or 0, levels[pk])
        )
    return result
