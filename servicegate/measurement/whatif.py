"""What-if replay: the attainment past tickets would have had under other clock terms."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np

from servicegate.calendars.models import BusinessCalendar
from servicegate.engines.clocks import NONE
from servicegate.measurement import evaluation
from servicegate.measurement.choices import Period
from servicegate.measurement.frames import load_events, load_tickets
from servicegate.measurement.models import Clock
from servicegate.measurement.periods import period_start
from servicegate.measurement.rules import (
    RESPONSE_METRICS,
    Terms,
    calendar_of,
    clock_rules,
    starts_at_opening,
)
from servicegate.measurement.selectors import Attainment, _pair, attainment_of
from servicegate.operations.models import Ticket, TicketEvent
from servicegate.promises.models import Promise


@dataclass(frozen=True)
class ReplayRow:
    """One period: the actual attainment beside the replayed one."""

    period: date
    actual: Attainment
    replay: Attainment


@dataclass(frozen=True)
class Replay:
    terms: Terms
    rows: tuple[ReplayRow, ...]
    actual: Attainment
    replay: Attainment


def _periods(epochs: np.ndarray, period: str) -> list[date]:
    days = epochs.astype("datetime64[s]").astype("datetime64[D]").astype(object)
    return [period_start(d, period) for d in days]


def _count(periods: Sequence[date], met: np.ndarray) -> dict[date, list[int]]:
    cells: dict[date, list[int]] = {}
    for d, m in zip(periods, met.tolist(), strict=True):
        cell = cells.setdefault(d, [0, 0])
        cell[0] += 1
        cell[1] += int(m)
    return cells


def whatif_replay(
    *,
    promise: Promise,
    target_value: Decimal | None = None,
    target_unit: str | None = None,
    calendar: BusinessCalendar | None = None,
    pause_statuses: Sequence[str] | None = None,
    start_statuses: Sequence[str] | None = None,
    stop_statuses: Sequence[str] | None = None,
    reopen: str | None = None,
    period: str = Period.MONTH,
    now: datetime | None = None,
) -> Replay:
    """Replay the promise's decided tickets with changed terms; nothing is written.

    A replayed clock counts when decided under the new terms (met or breached); its
    period is the one of its new outcome instant.
    """
    changes: dict[str, object] = {}
    if target_value is not None:
        changes["target_value"] = target_value
    if target_unit:
        changes["target_unit"] = target_unit
    if calendar is not None:
        changes["calendar"] = calendar
    for name, statuses in (
        ("start_statuses", start_statuses),
        ("pause_statuses", pause_statuses),
        ("stop_statuses", stop_statuses),
    ):
        if statuses is not None:
            changes[name] = tuple(statuses)
    if reopen:
        changes["reopen"] = reopen
    terms = dataclasses.replace(Terms.of(promise), **changes)  # type: ignore[arg-type]
    at = int((now or datetime.now(UTC)).timestamp())
    decided = Clock.objects.filter(promise=promise, decided_at__isnull=False)
    actual = list(decided.values_list("decided_at", "breached"))
    a_epochs = np.array([int(d.timestamp()) for d, _b in actual if d is not None], dtype=np.int64)
    a_cells = _count(_periods(a_epochs, period), np.array([not b for _d, b in actual]))
    ids = decided.values("ticket_id")
    frame = load_tickets(Ticket.objects.filter(pk__in=ids))
    events = load_events(TicketEvent.objects.filter(ticket_id__in=ids))
    cal = calendar_of(terms.calendar)
    rows = np.arange(len(frame))
    s = evaluation.subset(
        frame,
        events,
        rows,
        response=terms.metric in RESPONSE_METRICS,
        opened=starts_at_opening(terms),
    )
    b = evaluation.evaluate(s, clock_rules(terms, cal), cal, at)
    outcome = np.where(b.breached, b.breach_at, np.where(b.stopped_at != NONE, b.stopped_at, NONE))
    done = outcome != NONE
    r_cells = _count(_periods(outcome[done], period), ~b.breached[done])
    level = float(promise.attainment_percent) / 100
    out = []
    for d in sorted(set(a_cells) | set(r_cells)):
        out.append(
            ReplayRow(
                d,
                attainment_of(str(promise), d, *_pair(a_cells.get(d)), level),
                attainment_of(str(promise), d, *_pair(r_cells.get(d)), level),
            )
        )
    a_n, a_met = sum(c[0] for c in a_cells.values()), sum(c[1] for c in a_cells.values())
    r_n, r_met = sum(c[0] for c in r_cells.values()), sum(c[1] for c in r_cells.values())
    return Replay(
        terms,
        tuple(out),
        attainment_of(str(promise), None, a_n, a_met, level),
        attainment_of(str(promise), None, r_n, r_met, level),
    )
