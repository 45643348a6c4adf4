"""History replay: a promise's terms over the tickets they would have covered.

Any promise can be replayed — a draft, one in feasibility review, one in service — and
each clock term can be overridden (target value and unit, calendar, start, pause and
stop statuses, reopen behaviour). Nothing is stored.

* **Tickets**: those opened in the window (whole UTC days, ``start`` .. ``end``) that
  the promise's scope reaches (``applicability.covered_tickets``), its validity ignored:
  the replay answers "had this promise been in force then".
* **Clocks**: the measurement's own rules and engine (``rules.clock_rules``,
  ``evaluation``), evaluated at ``now``. A clock counts when decided (met, or breached)
  by then; like attainment, a period holds the clocks whose outcome fell in it (UTC).
  So a draft with the terms and scope of an in-service promise replays to that
  promise's decided clocks on the tickets of the window.
* **Window**: by default the last 365 days up to today, clipped to the start of the
  ticket history. A window named explicitly must lie within the history (from the day
  of the first ticket to today).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Min
from django.utils.translation import gettext as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.engines.clock_rules import NONE, STATES
from servicegate.measurement import evaluation
from servicegate.measurement.applicability import Scope, covered_tickets
from servicegate.measurement.choices import Period
from servicegate.measurement.frames import TicketFrame, load_tickets
from servicegate.measurement.inputs import events_of
from servicegate.measurement.periods import period_start
from servicegate.measurement.rules import (
    METRIC_KINDS,
    RESPONSE_METRICS,
    TIME_UNITS,
    Terms,
    check_calendar,
    clock_rules,
    starts_at_opening,
)
from servicegate.measurement.selectors import Attainment, attainment_of
from servicegate.operations.choices import TicketStatus
from servicegate.operations.models import Ticket
from servicegate.promises.choices import ReopenBehaviour
from servicegate.promises.models import Promise

DEFAULT_DAYS = 365
_MET = STATES.index("met")
_NOT_STARTED = STATES.index("not_started")


class ReplayError(ValueError):
    """The replay cannot be made; the message is one sentence saying what to change."""


@dataclass(frozen=True)
class Overrides:
    """Terms to replay instead of the promise's own (None: keep the promise's)."""

    target_value: Decimal | None = None
    target_unit: str | None = None
    calendar: BusinessCalendar | None = None
    start_statuses: tuple[str, ...] | None = None
    pause_statuses: tuple[str, ...] | None = None
    stop_statuses: tuple[str, ...] | None = None
    reopen: str | None = None

    def changes(self) -> dict[str, Any]:
        """The overridden fields of :class:`rules.Terms`."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class HistoryReplay:
    """The replayed attainment over the window, in total and per period."""

    promise_id: int
    terms: Terms
    start: date  # first day of the window
    end: date  # last day of the window (inclusive)
    tickets: int  # tickets in scope opened in the window
    not_started: int  # of those, clocks that never started
    total: Attainment
    periods: tuple[Attainment, ...]
    period: str | None

    def to_dict(self) -> dict[str, Any]:
        """The replay as the API and the command give it (JSON-ready)."""
        t = self.terms
        return {
            "promise": self.promise_id,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "tickets": self.tickets,
            **_figures(self.total),
            "level": self.total.level,
            "kept": self.total.kept,
            "not_started": self.not_started,
            "terms": {
                "target_value": str(t.target_value),
                "target_unit": t.target_unit,
                "calendar": t.calendar.pk,
                "start_statuses": list(t.start_statuses),
                "pause_statuses": list(t.pause_statuses),
                "stop_statuses": list(t.stop_statuses),
                "reopen": t.reopen,
            },
            "period": self.period,
            "periods": [
                {"period": a.period.isoformat() if a.period else None, **_figures(a)}
                for a in self.periods
            ],
        }


def _figures(a: Attainment) -> dict[str, Any]:
    return {"n": a.n, "met": a.met, "rate": a.rate, "ci_low": a.ci_low, "ci_high": a.ci_high}


def replay_terms(promise: Promise, overrides: Overrides) -> Terms:
    """The promise's terms with ``overrides``; ``ReplayError`` for terms no clock can run."""
    if promise.metric not in METRIC_KINDS:
        raise ReplayError(
            _(
                "Only clocked promises (first response, resolution, update interval, "
                "preventive visit on time) can be replayed; “%(metric)s” has no clock."
            )
            % {"metric": promise.get_metric_display()}
        )
    for name in ("start_statuses", "pause_statuses", "stop_statuses"):
        unknown = [s for s in getattr(overrides, name) or () if s not in TicketStatus.values]
        if unknown:
            raise ReplayError(
                _("%(status)s is no ticket status; use one of: %(known)s.")
                % {"status": unknown[0], "known": ", ".join(TicketStatus.values)}
            )
    if overrides.reopen is not None and overrides.reopen not in ReopenBehaviour.values:
        raise ReplayError(
            _("%(value)s is no reopen behaviour; use one of: %(known)s.")
            % {"value": overrides.reopen, "known": ", ".join(ReopenBehaviour.values)}
        )
    terms = dataclasses.replace(Terms.of(promise), **overrides.changes())
    if terms.target_unit not in TIME_UNITS:
        raise ReplayError(
            _("A replay needs a time target (%(units)s), not one in %(unit)s.")
            % {"units": ", ".join(sorted(TIME_UNITS)), "unit": terms.target_unit}
        )
    if not terms.target_value > 0:
        raise ReplayError(_("The target must be greater than zero."))
    return terms


def replay_window(
    start: date | None, end: date | None, *, now: datetime | None = None
) -> tuple[date, date]:
    """The window's first and last day (see the module docstring); ``ReplayError`` when a
    window named explicitly reaches beyond the ticket history."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    first = Ticket.objects.aggregate(first=Min("opened_at"))["first"]
    if first is None:
        raise ReplayError(_("There is no ticket history yet to replay the promise over."))
    begins = first.astimezone(UTC).date()
    last = end or today
    if last > today:
        raise ReplayError(
            _("The window ends on %(end)s, after today (%(today)s); end it today or earlier.")
            % {"end": last, "today": today}
        )
    if last < begins:
        raise ReplayError(
            _(
                "The window ends on %(end)s, before the ticket history, which begins on "
                "%(first)s; end it on or after that day."
            )
            % {"end": last, "first": begins}
        )
    if start is None:
        start = max(last - timedelta(days=DEFAULT_DAYS - 1), begins)
    elif start < begins:
        raise ReplayError(
            _(
                "The window starts on %(start)s, before the ticket history, which begins on "
                "%(first)s; start on or after that day."
            )
            % {"start": start, "first": begins}
        )
    if start > last:
        raise ReplayError(
            _("The window starts on %(start)s, after its end (%(end)s); swap the days.")
            % {"start": start, "end": last}
        )
    return start, last


def _day(d: date) -> datetime:
    return datetime.combine(d, time(), tzinfo=UTC)


def _take(frame: TicketFrame, rows: np.ndarray) -> TicketFrame:
    return TicketFrame(*(getattr(frame, f.name)[rows] for f in fields(frame)))


def history_replay(
    *,
    promise: Promise,
    overrides: Overrides | None = None,
    start: date | None = None,
    end: date | None = None,
    period: str | None = None,
    now: datetime | None = None,
) -> HistoryReplay:
    """Replay ``promise``'s terms (with ``overrides``) over the window; nothing is written.

    Raises :class:`ReplayError` with one sentence for a promise or terms that have no
    clock, an unreadable calendar, a window beyond the history and a window without a
    ticket in the promise's scope.
    """
    if period is not None and period not in Period.values:
        raise ReplayError(
            _("%(period)s is no period; use one of: %(known)s.")
            % {"period": period, "known": ", ".join(Period.values)}
        )
    terms = replay_terms(promise, overrides or Overrides())
    cal = check_calendar(terms.calendar)
    if cal is None:
        raise ReplayError(
            _("The business calendar “%(name)s” cannot be read; fix it or choose another.")
            % {"name": terms.calendar.name}
        )
    first, last = replay_window(start, end, now=now)
    qs = Ticket.objects.filter(
        opened_at__gte=_day(first),
        opened_at__lt=_day(last + timedelta(days=1)),
        kind__in=sorted(METRIC_KINDS[promise.metric]),
    )
    if promise.priority:
        qs = qs.filter(priority=promise.priority)
    frame = load_tickets(qs)
    mine = covered_tickets(promise, frame, Scope.load(with_promises=False), within_validity=False)
    frame = _take(frame, np.flatnonzero(mine))
    if not len(frame):
        raise ReplayError(
            _(
                "No ticket in this promise's scope was opened between %(start)s and %(end)s, "
                "so there is no rate to give; choose another window or check the scope."
            )
            % {"start": first, "end": last}
        )
    s = evaluation.subset(
        frame,
        events_of(frame.id),
        np.arange(len(frame)),
        response=terms.metric in RESPONSE_METRICS,
        opened=starts_at_opening(terms),
    )
    at = int((now or datetime.now(UTC)).timestamp())
    b = evaluation.evaluate(s, clock_rules(terms, cal), cal, at)
    met = b.state == _MET
    decided = np.where(b.breached, b.breach_at, np.where(met, b.stopped_at, NONE))
    done = decided != NONE
    level = float(promise.attainment_percent) / 100
    name = str(promise.pk)
    total = attainment_of(name, None, int(done.sum()), int(met[done].sum()), level)
    return HistoryReplay(
        promise_id=promise.pk,
        terms=terms,
        start=first,
        end=last,
        tickets=len(frame),
        not_started=int((b.state == _NOT_STARTED).sum()),
        total=total,
        periods=_per_period(name, decided[done], met[done], period, level) if period else (),
        period=period,
    )


def _per_period(
    name: str, decided: np.ndarray, met: np.ndarray, period: str, level: float
) -> tuple[Attainment, ...]:
    days = decided.astype("datetime64[s]").astype("datetime64[D]").astype(object)
    cells: dict[date, list[int]] = {}
    for d, m in zip(days.tolist(), met.tolist(), strict=True):
        cell = cells.setdefault(period_start(d, period), [0, 0])
        cell[0] += 1
        cell[1] += int(m)
    return tuple(attainment_of(name, d, n, k, level) for d, (n, k) in sorted(cells.items()))


def parse_statuses(value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """Statuses from a comma-separated text (or a list); None when not given at all."""
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    return tuple(p.strip() for p in parts if p.strip())
