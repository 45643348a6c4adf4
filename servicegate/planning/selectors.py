"""Reads of planning: ticket arrivals, handling times, the team and comparable history.

Every function loads what an engine needs with one ``values_list`` query into numpy
arrays and hands it on; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from servicegate.engines.backtesting import Backtest, backtest
from servicegate.engines.calendars import Calendar
from servicegate.engines.forecasting import (
    CountSeries,
    Forecast,
    Freq,
    count_arrivals,
    forecast_counts,
    local_wallclock,
)
from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.sla import business_seconds
from servicegate.operations.choices import REACTIVE_KINDS, TicketStatus
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.planning.models import FeasibilityResult
from servicegate.planning.terms import (
    END_FIELDS,
    EngineMetric,
    calendar_of,
    metric_kind,
    open_fraction,
    target_seconds,
)
from servicegate.promises.choices import Decision, PromiseState
from servicegate.promises.models import GateReview, Promise
from servicegate.promises.overlaps import overlapping
from servicegate.team.models import Technician

FloatArray = NDArray[np.float64]
#: Days of history a forecast needs (the engine's minimum) and a backtest needs.
MIN_FORECAST_DAYS = 14
MIN_BACKTEST_DAYS = 28
#: Handling times need this many resolved tickets, else the default is used.
MIN_HANDLING_SAMPLES = 20
#: Look-back of handling times and of the comparable promises' history.
HISTORY_DAYS = 365
#: Hands-on time is read from at most this many of the latest resolved tickets.
WORK_SAMPLE = 2000


@dataclass(frozen=True)
class TicketScope:
    """Which reactive tickets count: a segment, a priority, a customer (None/"" = all).

    Tickets carry no service product, so a promise's product narrows nothing here.
    """

    segment_id: int | None = None
    priority: str = ""
    customer_id: int | None = None

    @classmethod
    def of_promise(cls, promise: Promise) -> TicketScope:
        return cls(promise.segment_id, promise.priority, promise.customer_id)

    def tickets(self) -> QuerySet[Ticket]:
        """Reactive tickets (incidents and requests) in this scope."""
        qs = Ticket.objects.filter(kind__in=REACTIVE_KINDS)
        if self.segment_id is not None:
            qs = qs.filter(customer__segment_id=self.segment_id)
        if self.priority:
            qs = qs.filter(priority=self.priority)
        if self.customer_id is not None:
            qs = qs.filter(customer_id=self.customer_id)
        return qs


def _epochs(values: Any) -> FloatArray:
    return np.fromiter((v.timestamp() for v in values), dtype=np.float64)


def arrival_epochs(scope: TicketScope) -> FloatArray:
    """UTC epoch seconds of the scope's ticket openings, in one query."""
    return _epochs(scope.tickets().values_list("opened_at", flat=True))


# --- forecast ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandForecast:
    """History, forecast and backtest of the scope's arrivals; ``message`` says what is missing.

    ``series``/``forecast`` are None when the history is too short; ``backtest`` is
    None when it is too short for a backtest (``message`` then says so).
    """

    arrivals: int
    days: int
    series: CountSeries | None
    forecast: Forecast | None
    backtest: Backtest | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "arrivals": self.arrivals,
            "history_days": self.days,
            "forecast": self.forecast.to_dict() if self.forecast else None,
            "backtest": self.backtest.to_dict() if self.backtest else None,
            "message": self.message,
        }

    def weekly_rate(self) -> float | None:
        """Forecast arrivals per week (mean over the forecast horizon), if there is one."""
        if self.forecast is None or self.series is None:
            return None
        buckets = self.forecast.mean.size
        return float(self.forecast.mean.sum()) * 7 * self.series.per_day / buckets


def _series(epochs: FloatArray, freq: Freq) -> CountSeries:
    """Counts per bucket in local time, without today's incomplete day."""
    local = local_wallclock(epochs, settings.TIME_ZONE)
    today = np.datetime64(timezone.localdate(), "D")
    last = min(local.max().astype("datetime64[D]") + 1, today)
    first = local.min().astype("datetime64[D]")
    return count_arrivals(local, freq=freq, start=first, end=max(last, first + 1))


def daily_series(epochs: FloatArray) -> CountSeries:
    """Arrivals per local day up to yesterday (today's incomplete day left out)."""
    return _series(epochs, "day")


def _backtest(series: CountSeries, horizon: int) -> Backtest | None:
    """Backtest with as many origins (up to 8) as the history allows; None if too short."""
    days = series.counts.size // series.per_day
    step = min(horizon, 7 * series.per_day)
    origins = min(8, (days - MIN_BACKTEST_DAYS) * series.per_day // step)
    if origins < 1:
        return None
    return backtest(series, horizon=step, origins=origins)


def demand_forecast(
    scope: TicketScope, *, freq: Freq = "day", horizon_days: int = 14
) -> DemandForecast:
    """Forecast the scope's arrivals ``horizon_days`` ahead, per day or hour."""
    epochs = arrival_epochs(scope)
    if epochs.size == 0:
        return DemandForecast(
            0,
            0,
            None,
            None,
            None,
            _(
                "There are no reactive tickets in this selection yet; import a ticket history "
                "or widen the filters."
            ),
        )
    series = _series(epochs, freq)
    days = series.counts.size // series.per_day
    if days < MIN_FORECAST_DAYS or series.counts.sum() <= 0:
        return DemandForecast(
            int(epochs.size),
            days,
            series,
            None,
            None,
            _(
                "Too few data: the selection holds %(n)d tickets over %(days)d days; a forecast "
                "needs at least %(min)d days of history."
            )
            % {"n": epochs.size, "days": days, "min": MIN_FORECAST_DAYS},
        )
    horizon = horizon_days * series.per_day
    fc = forecast_counts(series, horizon=horizon)
    score = _backtest(series, horizon)
    message = ""
    if score is None:
        message = _(
            "The history of %(days)d days is too short for a backtest (it needs %(min)d days "
            "plus the horizon); the forecast is shown without a score."
        ) % {"days": days, "min": MIN_BACKTEST_DAYS}
    return DemandForecast(int(epochs.size), days, series, fc, score, message)


# --- inputs of the feasibility check ------------------------------------------------------------


def handling_seconds(scope: TicketScope, cal: Calendar, *, now: dt.datetime) -> FloatArray:
    """Business seconds from response to resolution of the scope's resolved tickets.

    One query over the last :data:`HISTORY_DAYS` days; rows whose resolution precedes
    their response are left out.
    """
    rows = list(
        scope.tickets()
        .filter(
            opened_at__gte=now - dt.timedelta(days=HISTORY_DAYS),
            responded_at__isnull=False,
            resolved_at__isnull=False,
        )
        .values_list("responded_at", "resolved_at")
    )
    if not rows:
        return np.zeros(0, dtype=np.float64)
    starts = _epochs(r[0] for r in rows).astype(np.int64)
    ends = _epochs(r[1] for r in rows).astype(np.int64)
    keep = ends >= starts
    return business_seconds(cal, starts[keep], ends[keep]).astype(np.float64)


def mean_handling(samples: FloatArray) -> float | None:
    """Mean handling time with the slowest tenth left out (tickets parked for days
    waiting on a customer would otherwise dominate); None below the minimum sample."""
    positive = samples[samples > 0]
    if positive.size < MIN_HANDLING_SAMPLES:
        return None
    cut = float(np.quantile(positive, 0.9))
    return float(positive[positive <= cut].mean())


def work_seconds(scope: TicketScope, *, day_seconds: float, now: dt.datetime) -> FloatArray:
    """Hands-on seconds of the scope's latest resolved tickets: the time each spent in
    progress, from an ``in_progress`` event to the ticket's next event.

    Each stretch counts at most ``day_seconds`` (one working day): a ticket left in
    progress overnight or over a weekend was not worked all that time. Tickets that were
    never in progress are left out: their work is unknown, not zero. Two queries (the
    ids as a subquery) over at most :data:`WORK_SAMPLE` tickets resolved in the last
    :data:`HISTORY_DAYS` days; one value per ticket, in no particular order.
    """
    latest = (
        scope.tickets()
        .filter(resolved_at__gte=now - dt.timedelta(days=HISTORY_DAYS), resolved_at__lte=now)
        .order_by("-resolved_at")
        .values("pk")[:WORK_SAMPLE]
    )
    rows = list(
        TicketEvent.objects.filter(ticket__in=latest)
        .order_by("ticket_id", "at", "seq")
        .values_list("ticket_id", "at", "status")
    )
    if not rows:
        return np.zeros(0, dtype=np.float64)
    ticket = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    at = _epochs(r[1] for r in rows)
    working = np.fromiter((r[2] == TicketStatus.IN_PROGRESS for r in rows), bool, len(rows))
    stretch = working[:-1] & (ticket[:-1] == ticket[1:])
    length = np.minimum(at[1:] - at[:-1], day_seconds)[stretch]
    _ids, owner = np.unique(ticket[:-1][stretch], return_inverse=True)
    return np.bincount(owner, weights=length).astype(np.float64)


def mean_work(samples: FloatArray) -> float | None:
    """Mean hands-on time (every ticket counts: long jobs are work too; the cap per
    stretch keeps forgotten statuses out); None below the minimum sample."""
    if samples.size < MIN_HANDLING_SAMPLES:
        return None
    return float(samples.mean())


def default_work_seconds(scope: TicketScope, *, now: dt.datetime) -> float:
    """The configured hands-on time per kind (``SERVICEGATE_WORK_MINUTES``), weighed by the
    scope's mix of incidents and requests over the last :data:`HISTORY_DAYS` days (one
    query; incidents alone without history)."""
    minutes: dict[str, int] = settings.SERVICEGATE_WORK_MINUTES
    mix = dict(
        scope.tickets()
        .filter(opened_at__gte=now - dt.timedelta(days=HISTORY_DAYS))
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(mix.values())
    if not total:
        return 60.0 * minutes["incident"]
    weighted = sum(n * minutes.get(kind, minutes["incident"]) for kind, n in mix.items())
    return 60.0 * float(weighted) / total


@dataclass(frozen=True)
class TeamStaffing:
    """Today's active technicians and their equivalent on duty in the promise's open hours.

    A technician whose calendar is open at least as long a week as the promise's
    counts fully, one with fewer hours pro rata: ``agents = round(Σ min(1, f_tech / f_promise))``.
    """

    technicians: int
    equivalents: float

    @property
    def agents(self) -> int:
        if self.technicians == 0:
            return 0
        return max(1, round(self.equivalents))


def team_staffing(promise_open_fraction: float) -> TeamStaffing:
    """The active technicians with their calendars, in one query."""
    technicians = list(Technician.objects.filter(is_active=True).select_related("calendar"))
    fractions: dict[int, float] = {}
    for tech in technicians:
        if tech.calendar_id not in fractions:
            try:
                fractions[tech.calendar_id] = open_fraction(calendar_of(tech.calendar))
            except PlanningInputError:
                fractions[tech.calendar_id] = 0.0  # an unreadable calendar adds no hours
    share = sum(min(1.0, fractions[t.calendar_id] / promise_open_fraction) for t in technicians)
    return TeamStaffing(len(technicians), share)


def comparable_history(promise: Promise, *, now: dt.datetime) -> tuple[NDArray[np.bool_], int]:
    """Met/not-met of the tickets comparable promises measured, judged against
    ``promise``'s own target, and how many promises compared.

    Comparable: other promises in service or under review with the same metric whose
    scope intersects ``promise``'s (``promises.overlaps``) — never ``promise`` itself.
    Their tickets inside ``promise``'s scope (each counted once) meet ``promise`` when
    the business time from opening to the response (or resolution) over ``promise``'s
    calendar is within ``promise``'s target: the history says how often *this* target
    would have been kept, not how often another one was.
    """
    kind: EngineMetric = metric_kind(promise)
    comparables = list(
        overlapping(promise, states=(PromiseState.IN_SERVICE, PromiseState.UNDER_REVIEW))
    )
    if not comparables:
        return np.zeros(0, dtype=bool), 0
    end = END_FIELDS[kind]
    rows = list(
        TicketScope.of_promise(promise)
        .tickets()
        .filter(
            opened_at__gte=now - dt.timedelta(days=HISTORY_DAYS),
            **{f"{end}__isnull": False},
        )
        .values_list("opened_at", end, "priority", "customer_id")
    )
    if not rows:
        return np.zeros(0, dtype=bool), len(comparables)
    opened = _epochs(r[0] for r in rows).astype(np.int64)
    ended = _epochs(r[1] for r in rows).astype(np.int64)
    priority = np.array([r[2] for r in rows], dtype=object)
    customer = np.fromiter((r[3] or -1 for r in rows), dtype=np.int64)
    covered = np.zeros(len(rows), dtype=bool)
    for comp in comparables:
        mask = np.ones(len(rows), dtype=bool)
        if comp.priority:
            mask &= priority == comp.priority
        if comp.customer_id is not None:
            mask &= customer == comp.customer_id
        covered |= mask
    keep = covered & (ended >= opened)
    if not keep.any():
        return np.zeros(0, dtype=bool), len(comparables)
    cal = calendar_of(promise.calendar)
    elapsed = business_seconds(cal, opened[keep], ended[keep])
    return np.asarray(elapsed <= target_seconds(promise, cal), dtype=bool), len(comparables)


def latest_result(promise: Promise) -> FeasibilityResult | None:
    """The most recent stored feasibility result of ``promise`` (with its review)."""
    return (
        FeasibilityResult.objects.filter(promise=promise)
        .select_related("review", "by")
        .order_by("-computed_at", "-pk")
        .first()
    )


def weeks_between(first: float, last: float) -> float:
    """Weeks from ``first`` to ``last`` epoch seconds, at least one day's worth."""
    return max((last - first) / (7 * 86_400), 1 / 7)


def recent_weekly_rate(epochs: FloatArray, *, weeks: int = 8) -> float:
    """Arrivals per week over the last ``weeks`` weeks before the newest ticket."""
    if epochs.size == 0:
        return 0.0
    newest = float(epochs.max())
    start = max(float(epochs.min()), newest - weeks * 7 * 86_400)
    count = int(np.count_nonzero(epochs >= start))
    return count / weeks_between(start, newest) if count else 0.0


def open_g1_review(promise: Promise) -> GateReview | None:
    """The promise's open Gate-1 review, if any."""
    return (
        GateReview.objects.filter(promise=promise, gate__code="G1", decision=Decision.OPEN)
        .select_related("gate", "promise")
        .order_by("-created_at", "-pk")
        .first()
    )
