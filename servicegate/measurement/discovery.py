"""SLA discovery: which clock rules and targets best explain recorded SLA outcomes.

For imported tickets that carry ``source_made_sla``, every candidate rule set —
calendar (24×7 in UTC or a configured business calendar) × pause statuses (none,
waiting for the customer, every ``awaiting_*``) × metric (first response, resolution)
— gives each ticket a business time used (the engine's clocks). Per priority, the
target that best separates met from missed is found exactly: sort the times, and the
agreement of "met ⇔ time ≤ T" for every candidate T is a cumulative sum (a vectorised
grid over all distinct times). The best (rules, target) per priority wins; ties prefer
fewer pauses and the 24×7 calendar, i.e. the simpler explanation.
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
from servicegate.measurement.frames import IntArray, load_events, load_tickets
from servicegate.measurement.rules import (
    PRIORITY_NAMES,
    Terms,
    calendar_of,
    clock_rules,
)
from servicegate.operations.choices import TicketStatus
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.promises.choices import Metric

PAUSE_SETS: tuple[tuple[str, ...], ...] = (
    (),
    (TicketStatus.AWAITING_CUSTOMER,),
    (TicketStatus.AWAITING_CUSTOMER, TicketStatus.AWAITING_VENDOR, TicketStatus.AWAITING_INTERNAL),
)
METRICS = (Metric.RESOLUTION, Metric.FIRST_RESPONSE)
TWENTY_FOUR_SEVEN = "24x7"


@dataclass(frozen=True)
class Candidate:
    calendar_name: str
    calendar: Calendar
    calendar_id: int | None
    pauses: tuple[str, ...]
    metric: str


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
    cals: list[tuple[str, Calendar, int | None]] = [
        (TWENTY_FOUR_SEVEN, twenty_four_seven("UTC"), None)
    ]
    for c in BusinessCalendar.objects.filter(is_active=True).order_by("pk"):
        cals.append((c.name, calendar_of(c), c.pk))
    return [
        Candidate(name, cal, pk, pauses, metric)
        for metric in METRICS
        for name, cal, pk in cals
        for pauses in PAUSE_SETS
    ]


def _terms(c: Candidate) -> Terms:
    return Terms(
        metric=c.metric,
        target_value=Decimal(1),
        target_unit="hours",
        calendar=BusinessCalendar(name=c.calendar_name),
        start_statuses=(),
        pause_statuses=c.pauses,
        stop_statuses=(TicketStatus.RESOLVED, TicketStatus.CLOSED),
        reopen="resume",
    )


def discover(*, source: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """``{"tickets", "agreement", "rules": [...]}`` for tickets with a recorded outcome."""
    at = int((now or datetime.now(UTC)).timestamp())
    tickets = Ticket.objects.filter(source_made_sla__isnull=False)
    if source:
        tickets = tickets.filter(source=source)
    frame = load_tickets(tickets)
    if not len(frame):
        return {"tickets": 0, "agreement": None, "rules": []}
    events = load_events(TicketEvent.objects.filter(ticket__in=tickets.values("pk")))
    rows = np.arange(len(frame))
    met = frame.made_sla == 1
    best: dict[int, tuple[int, int, Candidate]] = {}
    for cand in candidates():
        terms = _terms(cand)
        response = cand.metric == Metric.FIRST_RESPONSE
        s = evaluation.subset(frame, events, rows, response=response, opened=True)
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
    rules = []
    total_agree = 0
    for prio in sorted(best):
        target, agree, cand = best[prio]
        n = int((frame.priority == prio).sum())
        total_agree += agree
        rules.append(
            {
                "priority": PRIORITY_NAMES[prio] if prio >= 0 else "",
                "metric": cand.metric,
                "calendar": cand.calendar_name,
                "calendar_id": cand.calendar_id,
                "pause_statuses": list(cand.pauses),
                "target_seconds": target,
                "target_hours": round(target / 3600, 2),
                "tickets": n,
                "agreement": round(agree / n, 4) if n else None,
                "met_share": round(float(met[frame.priority == prio].mean()), 4),
            }
        )
    return {
        "tickets": len(frame),
        "agreement": round(total_agree / len(frame), 4),
        "rules": rules,
    }


def discovery_create(*, result: dict[str, Any], by: Any, product: Any) -> list[Any]:
    """Create the discovered rules as draft promises of ``product`` made by ``by``."""
    from django.db import transaction

    from servicegate.engines.calendars import calendar_to_dict
    from servicegate.promises import services as promise_services

    created = []
    with transaction.atomic():
        for rule in result["rules"]:
            if rule["calendar_id"] is None:
                calendar, _new = BusinessCalendar.objects.get_or_create(
                    name="24x7 (UTC)",
                    defaults={
                        "timezone": "UTC",
                        "definition": calendar_to_dict(twenty_four_seven("UTC")),
                    },
                )
            else:
                calendar = BusinessCalendar.objects.get(pk=rule["calendar_id"])
            hours = max(Decimal(rule["target_seconds"]) / 3600, Decimal("0.01"))
            share = Decimal(str(rule.get("met_share") or 0.5)) * 100
            created.append(
                promise_services.promise_create(
                    by=by,
                    title=f"Discovered {rule['metric']} {rule['priority']}".strip(),
                    product=product,
                    metric=rule["metric"],
                    target_value=hours.quantize(Decimal("0.01")),
                    target_unit="hours",
                    attainment_percent=min(max(share, Decimal(1)), Decimal(100)).quantize(
                        Decimal("0.01")
                    ),
                    priority=rule["priority"],
                    calendar=calendar,
                    clock_pause_statuses=rule["pause_statuses"],
                    made_by_role="sales",
                    source="contract",
                    source_reference=(
                        f"SLA discovery: agreement {rule['agreement']} on {rule['tickets']} tickets"
                    ),
                )
            )
    return created
