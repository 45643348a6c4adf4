"""SLA discovery: which clock rules and targets best explain recorded SLA outcomes.

For imported tickets that carry ``source_made_sla``, every candidate rule set gives each
ticket a business time used (the engine's clocks). The candidates are

* **clock**: ``response`` (to the first sign of work), ``resolution`` (stopped by
  *resolved* or *closed*) and ``close`` (stopped by *closed* only — ServiceNow, for one,
  decides ``made_sla`` when an incident is closed, not when it is resolved);
* **start**: ``opened`` (the ticket's ``opened_at``, even where the log's first row comes
  later) and ``new`` (the first *new* status; a ticket that never has one never starts
  and counts as missed);
* **calendar**: 24×7 in UTC or a configured business calendar;
* **pauses**: none, waiting for the customer, every ``awaiting_*``.

Per priority, the target that best separates met from missed is found exactly: sort the
times, and the agreement of "met ⇔ time ≤ T" for every candidate T is a cumulative sum
(a vectorised grid over all distinct times). The best (rules, target) per priority wins;
ties keep the earlier candidate, i.e. the simpler explanation (24×7, fewer pauses, start
at opening, resolution before close before response).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import numpy as np

from servicegate.calendars.models import BusinessCalendar
from servicegate.engines.calendars import Calendar, twenty_four_seven
from servicegate.engines.clocks import NONE
from servicegate.measurement import evaluation
from servicegate.measurement.frames import (
    IntArray,
    TicketFrame,
    load_events,
    load_tickets,
)
from servicegate.measurement.rules import (
    PRIORITY_NAMES,
    Terms,
    calendar_of,
    clock_rules,
    starts_at_opening,
)
from servicegate.operations.choices import TicketStatus
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.promises.choices import Metric

PAUSE_SETS: tuple[tuple[str, ...], ...] = (
    (),
    (TicketStatus.AWAITING_CUSTOMER,),
    (TicketStatus.AWAITING_CUSTOMER, TicketStatus.AWAITING_VENDOR, TicketStatus.AWAITING_INTERNAL),
)


@dataclass(frozen=True)
class Clock:
    """A kind of clock discovery tries: the promise metric and the statuses that stop it."""

    name: str
    metric: str
    stop_statuses: tuple[str, ...]


CLOCKS = (
    Clock("resolution", Metric.RESOLUTION, (TicketStatus.RESOLVED, TicketStatus.CLOSED)),
    Clock("close", Metric.RESOLUTION, (TicketStatus.CLOSED,)),
    Clock("response", Metric.FIRST_RESPONSE, ()),
)
#: Start rule name → the promise's start statuses (empty: the clock starts at opening).
STARTS: dict[str, tuple[str, ...]] = {"opened": (), "new": (TicketStatus.NEW,)}
TWENTY_FOUR_SEVEN = "24x7"


@dataclass(frozen=True)
class Candidate:
    """One rule set: calendar, pauses, start rule and clock."""

    calendar_name: str
    calendar: Calendar
    calendar_id: int | None
    pauses: tuple[str, ...]
    start: str
    clock: Clock


def best_threshold(used: IntArray, met: np.ndarray) -> tuple[int, int]:
    """``(target, agreeing tickets)`` maximising agreement of ``met == (used <= target)``."""
    order = np.argsort(used, kind="stable")
    u, m = used[order], met[order].astype(np.int64)
    # Candidate T = u[k]: tickets 0..k predicted met. Ties: take the last of equal values.
    last = np.append(u[1:] != u[:-1], True)
    met_below = np.cumsum(m)
    missed_total = int((1 - m).sum())
    missed_below = np.cumsum(1 - m)
    agree = met_below + (missed_total - missed_below)
    agree = np.where(last, agree, -1)
    k = int(np.argmax(agree))
    none_met = missed_total  # T below every time: all predicted missed
    if none_met >= agree[k]:
        return max(int(u[0]) - 1, 0) if u.size else 0, none_met
    return int(u[k]), int(agree[k])


def candidates() -> list[Candidate]:
    """Every rule set, simplest first (see the module docstring)."""
    cals: list[tuple[str, Calendar, int | None]] = [
        (TWENTY_FOUR_SEVEN, twenty_four_seven("UTC"), None)
    ]
    for c in BusinessCalendar.objects.filter(is_active=True).order_by("pk"):
        cals.append((c.name, calendar_of(c), c.pk))
    return [
        Candidate(name, cal, pk, pauses, start, clock)
        for clock in CLOCKS
        for start in STARTS
        for name, cal, pk in cals
        for pauses in PAUSE_SETS
    ]


def _terms(c: Candidate) -> Terms:
    return Terms(
        metric=c.clock.metric,
        target_value=Decimal(1),
        target_unit="hours",
        calendar=BusinessCalendar(name=c.calendar_name),
        start_statuses=STARTS[c.start],
        pause_statuses=c.pauses,
        stop_statuses=c.clock.stop_statuses,
        reopen="resume",
    )


def discover(*, source: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """``{"tickets", "agreement", "first_opened", "rules": [...]}`` for tickets with a
    recorded outcome (``first_opened``: ISO date of the earliest opening)."""
    at = int((now or datetime.now(UTC)).timestamp())
    tickets = Ticket.objects.filter(source_made_sla__isnull=False)
    if source:
        tickets = tickets.filter(source=source)
    frame = load_tickets(tickets)
    if not len(frame):
        return {"tickets": 0, "agreement": None, "first_opened": None, "rules": []}
    events = load_events(TicketEvent.objects.filter(ticket__in=tickets.values("pk")))
    rows = np.arange(len(frame))
    met = frame.made_sla == 1
    best: dict[int, tuple[int, int, Candidate]] = {}
    for cand in candidates():
        terms = _terms(cand)
        response = cand.clock.metric == Metric.FIRST_RESPONSE
        s = evaluation.subset(
            frame, events, rows, response=response, opened=starts_at_opening(terms)
        )
        b = evaluation.evaluate(s, clock_rules(terms, cand.calendar), cand.calendar, at)
        stopped = b.stopped_at != NONE
        for prio in np.unique(frame.priority).tolist():
            sel = (frame.priority == prio) & stopped
            if not sel.any():
                continue
            target, agree = best_threshold(b.business_elapsed[sel], met[sel])
            agree += int((~met[(frame.priority == prio) & ~stopped]).sum())  # open ⇒ missed
            if prio not in best or agree > best[prio][1]:
                best[prio] = (target, agree, cand)
    rules = [_rule(prio, *best[prio], frame) for prio in sorted(best)]
    first = datetime.fromtimestamp(int(frame.opened.min()), UTC).date()
    return {
        "tickets": len(frame),
        "agreement": round(sum(r["agreeing"] for r in rules) / len(frame), 4),
        "first_opened": first.isoformat(),
        "rules": rules,
    }


def _rule(
    prio: int, target: int, agree: int, cand: Candidate, frame: TicketFrame
) -> dict[str, Any]:
    n = int((frame.priority == prio).sum())
    return {
        "priority": PRIORITY_NAMES[prio] if prio >= 0 else "",
        "clock": cand.clock.name,
        "metric": cand.clock.metric,
        "start": cand.start,
        "start_statuses": list(STARTS[cand.start]),
        "stop_statuses": list(cand.clock.stop_statuses),
        "calendar": cand.calendar_name,
        "calendar_id": cand.calendar_id,
        "pause_statuses": list(cand.pauses),
        "target_seconds": target,
        "target_hours": round(target / 3600, 2),
        "tickets": n,
        "agreeing": agree,
        "agreement": round(agree / n, 4) if n else None,
        "met_share": round(float((frame.made_sla[frame.priority == prio] == 1).mean()), 4),
    }
