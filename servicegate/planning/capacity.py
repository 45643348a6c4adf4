"""The joint capacity plan: planned and reactive work against the same technicians, per week.

One row per week (Monday to Monday in ``settings.TIME_ZONE``, starting next Monday):

* **reactive hours** = forecast reactive tickets of the week × hands-on time per ticket.
  The forecast is planning's demand forecast (``demand_forecast``'s daily model)
  summed over the week's days; with less than 14 days of history the rate of the
  last 8 weeks stands in. The hands-on time is the mean time the team's latest
  resolved tickets spent *in progress* (``selectors.work_seconds``: each stretch
  counted up to one working day of the team's most common calendar; waiting for the
  customer, a vendor or dispatch is not work). With fewer than 20 such tickets the
  configured minutes per kind (``SERVICEGATE_WORK_MINUTES``) stand in, weighed by the
  mix of incidents and requests.
* **buffer hours** = the idle time the promises need on top of the work, from the
  staffing engine: for each time promise in service, Erlang C gives the fewest
  agents ``n`` that answer the week's tickets *in the promise's scope* (its segment,
  priority and customer: the team's forecast times their share of the team's tickets
  over the last year) spread over the promise calendar's open hours ``H`` within the
  target at the promised level; the buffer is ``n·H`` less the hands-on hours of those
  tickets. Only the part of it inside the team's working hours counts: the buffer is
  scaled by the share of ``H`` that the team's most common calendar is open too (a
  24/7 promise's standby at night is on-call duty, which the technicians' calendars
  do not offer either). The most demanding promise sets it (the team is shared, so
  buffers do not add up). A resolution promise's wait is its target minus the
  hands-on time.
* **preventive hours** = planned duration of the open preventive work orders
  (maintenance, inspection, remote health check, consulting) whose window opens in
  the week; a work order without a duration counts :data:`DEFAULT_WORK_ORDER_MINUTES`.
  ``extra_hours`` (the what-if "if this offer is accepted") is added here.
* **available hours** = open hours of every active technician's working calendar
  in the week minus the open hours their absences cover.
* ``utilisation = (reactive + preventive) / available``; a week is over capacity
  when reactive + preventive + buffer exceed the available hours.

A team is a region: its technicians, and the tickets and work orders at its sites.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from servicegate.engines.calendars import Calendar
from servicegate.engines.forecasting import forecast_counts
from servicegate.engines.queueing import PlanningInputError, required_agents
from servicegate.engines.sla import business_seconds
from servicegate.operations.choices import PREVENTIVE_KINDS, STOP_STATUSES
from servicegate.operations.models import Customer, Ticket
from servicegate.planning.selectors import (
    HISTORY_DAYS,
    MIN_FORECAST_DAYS,
    TicketScope,
    arrival_epochs,
    daily_series,
    default_work_seconds,
    mean_work,
    recent_weekly_rate,
    work_seconds,
)
from servicegate.planning.terms import (
    business_day_seconds,
    calendar_of,
    metric_kind,
    open_seconds_per_week,
    overlap_seconds_per_week,
    target_seconds,
)
from servicegate.promises.choices import PromiseState
from servicegate.promises.models import Promise
from servicegate.scheduling.models import Absence
from servicegate.team.models import Technician

MAX_WEEKS = 26
DEFAULT_WORK_ORDER_MINUTES = 60
MAX_EXTRA_HOURS = 10_000.0
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class TeamScope(TicketScope):
    """Reactive tickets at the sites of one region ("" = the whole organisation)."""

    region: str = ""

    def tickets(self) -> QuerySet[Ticket]:
        qs = super().tickets()
        return qs.filter(asset__site__region=self.region) if self.region else qs


@dataclass(frozen=True)
class CapacityWeek:
    """One week of the plan, in hours."""

    week: dt.date
    reactive_hours: float
    preventive_hours: float
    buffer_hours: float
    available_hours: float

    @property
    def utilisation(self) -> float | None:
        """(reactive + preventive) / available; None when nobody is available."""
        if self.available_hours <= 0:
            return None
        return (self.reactive_hours + self.preventive_hours) / self.available_hours

    @property
    def demand_hours(self) -> float:
        return self.reactive_hours + self.preventive_hours + self.buffer_hours

    @property
    def over_capacity(self) -> bool:
        """Work and buffer together need more hours than the technicians have."""
        return self.demand_hours > self.available_hours + 1e-9

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "reactive_hours": round(self.reactive_hours, 2),
            "preventive_hours": round(self.preventive_hours, 2),
            "buffer_hours": round(self.buffer_hours, 2),
            "available_hours": round(self.available_hours, 2),
            "utilisation": None if self.utilisation is None else round(self.utilisation, 4),
        }


@dataclass(frozen=True)
class CapacityPlan:
    """The weekly rows and where their figures come from."""

    weeks: tuple[CapacityWeek, ...]
    team: str
    extra_hours: float
    reactive_tickets: tuple[float, ...]
    reactive_source: str  # "forecast" | "recent" | "none"
    aht_seconds: float
    aht_measured: bool  # True: measured time in progress; False: the configured default
    work_tickets: int  # tickets the hands-on time was measured on
    work_day_hours: float  # the longest stretch in progress that counts
    buffer_promise: tuple[int | None, ...]
    technicians: int
    notes: tuple[str, ...] = field(default=())


def plan_start(today: dt.date) -> dt.date:
    """The Monday after ``today`` (a Monday plans from the next one)."""
    return today + dt.timedelta(days=7 - today.weekday())


def _bounds(first: dt.date, weeks: int) -> np.ndarray:
    """UTC epoch seconds of the local midnights of the week boundaries (weeks + 1)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    return np.array(
        [
            int(dt.datetime.combine(first + i * WEEK, dt.time(), tzinfo=tz).timestamp())
            for i in range(weeks + 1)
        ],
        dtype=np.int64,
    )


def check_inputs(weeks: int, extra_hours: float) -> None:
    """Refuse a horizon or extra volume out of range, with a sentence."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise PlanningInputError(
            _("The plan covers 1 to %(max)d weeks; %(n)s weeks were asked for.")
            % {"max": MAX_WEEKS, "n": weeks}
        )
    if not 0 <= extra_hours <= MAX_EXTRA_HOURS:
        raise PlanningInputError(
            _("The extra hours per week (%(n)s) must lie between 0 and %(max)d.")
            % {"n": extra_hours, "max": int(MAX_EXTRA_HOURS)}
        )


def teams() -> list[str]:
    """The regions of the active technicians, sorted."""
    return sorted(
        r
        for r in Technician.objects.filter(is_active=True)
        .exclude(region="")
        .values_list("region", flat=True)
        .distinct()
    )


def capacity_plan(
    *, weeks: int, team: str = "", extra_hours: float = 0.0, today: dt.date | None = None
) -> CapacityPlan:
    """The capacity plan for ``weeks`` weeks from next Monday (reads only).

    Raises :class:`PlanningInputError` with a sentence for a horizon out of range,
    negative extra hours or a team (region) without active technicians.
    """
    check_inputs(weeks, extra_hours)
    today = today or timezone.localdate()
    first = plan_start(today)
    bounds = _bounds(first, weeks)
    technicians = list(
        Technician.objects.filter(is_active=True, **({"region": team} if team else {}))
        .select_related("calendar")
        .order_by("pk")
    )
    if team and not technicians:
        raise PlanningInputError(
            _("The team “%(team)s” has no active technicians; pick one of: %(teams)s.")
            % {"team": team, "teams": ", ".join(teams()) or "–"}
        )
    calendars = _calendars(technicians)
    available = _available_hours(technicians, calendars, bounds)
    scope = TeamScope(region=team)
    tickets, source = _reactive_tickets(scope, first, weeks)
    team_cal = _team_calendar(technicians, calendars)
    work = _hands_on(scope, team_cal)
    reactive = tickets * work.seconds / 3600.0
    buffer, promise_ids = _buffers(tickets, work.seconds, scope, team_cal)
    preventive = _preventive_hours(team, bounds) + extra_hours
    rows = tuple(
        CapacityWeek(
            week=first + i * WEEK,
            reactive_hours=float(reactive[i]),
            preventive_hours=float(preventive[i]),
            buffer_hours=float(buffer[i]),
            available_hours=float(available[i]),
        )
        for i in range(weeks)
    )
    return CapacityPlan(
        weeks=rows,
        team=team,
        extra_hours=extra_hours,
        reactive_tickets=tuple(float(t) for t in tickets),
        reactive_source=source,
        aht_seconds=work.seconds,
        aht_measured=work.measured,
        work_tickets=work.tickets,
        work_day_hours=work.day_seconds / 3600.0,
        buffer_promise=promise_ids,
        technicians=len(technicians),
    )


def _calendars(technicians: list[Technician]) -> dict[int, Calendar | None]:
    """Engine calendars by id; an unreadable calendar is None and adds no hours."""
    out: dict[int, Calendar | None] = {}
    for tech in technicians:
        if tech.calendar_id not in out:
            try:
                out[tech.calendar_id] = calendar_of(tech.calendar)
            except PlanningInputError:
                out[tech.calendar_id] = None
    return out


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _available_hours(
    technicians: list[Technician], calendars: dict[int, Calendar | None], bounds: np.ndarray
) -> np.ndarray:
    """Open hours per week of each technician's calendar minus the absences (one query)."""
    hours = np.zeros(bounds.size - 1)
    lo, hi = int(bounds[0]), int(bounds[-1])
    absences: dict[int, list[tuple[int, int]]] = {}
    rows = Absence.objects.filter(
        technician__in=[t.pk for t in technicians],
        starts_at__lt=dt.datetime.fromtimestamp(hi, dt.UTC),
        ends_at__gt=dt.datetime.fromtimestamp(lo, dt.UTC),
    ).values_list("technician_id", "starts_at", "ends_at")
    for tech_id, starts_at, ends_at in rows:
        span = (int(starts_at.timestamp()), int(ends_at.timestamp()))
        absences.setdefault(tech_id, []).append(span)
    for tech in technicians:
        cal = calendars[tech.calendar_id]
        if cal is None:
            continue
        seconds = business_seconds(cal, bounds[:-1], bounds[1:]).astype(np.float64)
        for start, end in _merged(absences.get(tech.pk, [])):
            s = np.clip(np.int64(start), bounds[:-1], bounds[1:])
            e = np.clip(np.int64(end), bounds[:-1], bounds[1:])
            seconds -= business_seconds(cal, s, np.maximum(s, e))
        hours += seconds / 3600.0
    return hours


def _reactive_tickets(scope: TeamScope, first: dt.date, weeks: int) -> tuple[np.ndarray, str]:
    """Expected reactive tickets per week: the daily forecast summed per week.

    The arrivals are read once; the forecast is planning's daily model without the
    backtest (``demand_forecast`` minus its score).
    """
    epochs = arrival_epochs(scope)
    if epochs.size == 0:
        return np.zeros(weeks), "none"
    series = daily_series(epochs)
    if series.counts.size < MIN_FORECAST_DAYS or series.counts.sum() <= 0:
        return np.full(weeks, recent_weekly_rate(epochs)), "recent"
    last = first + weeks * WEEK
    series_end = series.start.astype("datetime64[D]").astype(dt.date) + dt.timedelta(
        days=int(series.counts.size)
    )
    fc = forecast_counts(series, horizon=max((last - series_end).days, 1))
    days = fc.bucket_starts.astype("datetime64[D]")
    week_of = (days - np.datetime64(first, "D")).astype(np.int64) // 7
    keep = (week_of >= 0) & (week_of < weeks)
    out = np.bincount(week_of[keep], weights=fc.mean[keep], minlength=weeks)
    return out[:weeks].astype(np.float64), "forecast"


@dataclass(frozen=True)
class HandsOn:
    """The hands-on time per reactive ticket and what it rests on."""

    seconds: float
    measured: bool
    tickets: int
    day_seconds: float


def _team_calendar(
    technicians: list[Technician], calendars: dict[int, Calendar | None]
) -> Calendar | None:
    """The working calendar most of the team's technicians share (None without one)."""
    common = Counter(t.calendar_id for t in technicians if calendars[t.calendar_id] is not None)
    return calendars[common.most_common(1)[0][0]] if common else None


def _hands_on(scope: TeamScope, team_cal: Calendar | None) -> HandsOn:
    """Mean time in progress over the team's latest resolved tickets (each stretch up to
    one working day of its most common calendar), or the configured default per kind."""
    now = timezone.now()
    day = business_day_seconds(team_cal) if team_cal is not None else 0.0
    samples = work_seconds(scope, day_seconds=day, now=now) if day > 0 else np.zeros(0)
    mean = mean_work(samples)
    if mean is None or mean <= 0:
        return HandsOn(default_work_seconds(scope, now=now), False, 0, day)
    return HandsOn(mean, True, int(samples.size), day)


def _scope_shares(scope: TeamScope, promises: list[Promise]) -> dict[int, float]:
    """Each promise's share of the team's reactive tickets over the last year (one query)."""
    since = timezone.now() - dt.timedelta(days=HISTORY_DAYS)
    mix = list(
        scope.tickets()
        .filter(opened_at__gte=since)
        .values_list("customer__segment_id", "priority", "customer_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(n for *_key, n in mix)
    shares: dict[int, float] = {}
    for promise in promises:
        own = TicketScope.of_promise(promise)
        matched = sum(
            n
            for segment, priority, customer, n in mix
            if own.segment_id in (None, segment)
            and own.priority in ("", priority)
            and own.customer_id in (None, customer)
        )
        shares[promise.pk] = matched / total if total else 0.0
    return shares


def _buffers(
    tickets: np.ndarray, aht: float, scope: TeamScope, team_cal: Calendar | None
) -> tuple[np.ndarray, tuple[int | None, ...]]:
    """Buffer hours per week and the promise that sets each (two queries)."""
    promises = list(
        Promise.objects.filter(state=PromiseState.IN_SERVICE)
        .select_related("calendar")
        .order_by("pk")
    )
    shares = _scope_shares(scope, promises) if promises else {}
    buffer = np.zeros(tickets.size)
    which: list[int | None] = [None] * tickets.size
    for promise in promises:
        try:
            kind = metric_kind(promise)
            cal = calendar_of(promise.calendar)
            wait = target_seconds(promise, cal) - (aht if kind == "resolution" else 0.0)
        except PlanningInputError:
            continue
        open_s = open_seconds_per_week(cal)
        level = float(promise.attainment_percent) / 100.0
        if open_s <= 0 or wait < 0 or not 0 < level < 1:
            continue
        inside = 1.0 if team_cal is None else overlap_seconds_per_week(cal, team_cal) / open_s
        for i, t in enumerate(tickets * shares[promise.pk]):
            if t <= 0:
                continue
            try:
                n = required_agents(
                    arrival_rate=t / open_s,
                    aht_seconds=aht,
                    answer_within_seconds=wait,
                    target_service_level=level,
                ).agents
            except PlanningInputError:
                continue
            hours = inside * max(0.0, n * open_s / 3600.0 - t * aht / 3600.0)
            if hours > buffer[i]:
                buffer[i], which[i] = hours, promise.pk
    return buffer, tuple(which)


def _preventive_hours(team: str, bounds: np.ndarray) -> np.ndarray:
    """Planned hours of open preventive work orders by the week their window opens."""
    qs = Ticket.objects.filter(
        kind__in=PREVENTIVE_KINDS,
        window_start__gte=dt.datetime.fromtimestamp(int(bounds[0]), dt.UTC),
        window_start__lt=dt.datetime.fromtimestamp(int(bounds[-1]), dt.UTC),
    ).exclude(status__in=STOP_STATUSES)
    if team:
        qs = qs.filter(asset__site__region=team)
    hours = np.zeros(bounds.size - 1)
    for start, minutes in qs.values_list("window_start", "duration_minutes"):
        assert start is not None  # filtered above
        i = int(np.searchsorted(bounds, np.int64(start.timestamp()), side="right")) - 1
        hours[i] += (minutes if minutes is not None else DEFAULT_WORK_ORDER_MINUTES) / 60.0
    return hours


@dataclass(frozen=True)
class PromiseLoad:
    """The technician hours per week the preventive visits of a promise's product add for
    the customers in its scope: the "if this offer is accepted" what-if of its G1 evidence."""

    hours_per_week: float
    asset_model: str
    customers: int
    assets: int
    interval_days: int
    duration_minutes: int


def promise_customers(promise: Promise) -> list[int]:
    """The customers a promise is made to: its customer, its contract's, else the active
    customers of its segment."""
    if promise.customer_id is not None:
        return [promise.customer_id]
    if promise.contract is not None:
        return [promise.contract.customer_id]
    return list(
        Customer.objects.filter(segment_id=promise.segment_id, is_active=True).values_list(
            "pk", flat=True
        )
    )


def promise_preventive_load(promise: Promise) -> PromiseLoad | None:
    """What the promise's preventive visits add per week, through the function
    ``settings.SERVICEGATE_PREVENTIVE_LOAD`` names (``(product id, customer ids) -> load``,
    None for a product without preventive terms); None when no area provides it."""
    path = getattr(settings, "SERVICEGATE_PREVENTIVE_LOAD", "")
    if not path:
        return None
    try:
        source: Any = import_string(path)
    except ImportError:
        return None  # the area that sells preventive services is not installed
    load = source(promise.product_id, promise_customers(promise))
    if load is None:
        return None
    return PromiseLoad(
        hours_per_week=float(load.technician_hours_per_week),
        asset_model=str(load.asset_model),
        customers=int(load.customers),
        assets=int(load.assets),
        interval_days=int(load.interval_days),
        duration_minutes=int(load.duration_minutes),
    )
