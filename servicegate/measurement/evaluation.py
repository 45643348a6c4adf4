"""Clocks of one promise over many tickets: frames in, engine batch out (no writes)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from servicegate.engines.calendars import Calendar
from servicegate.engines.clocks import NONE, ClockBatch, ClockRules, EventTable, evaluate_clocks
from servicegate.measurement.choices import BreachCause
from servicegate.measurement.frames import EventFrame, IntArray, TicketFrame
from servicegate.measurement.rules import (
    OPENED,
    PRIORITY_NAMES,
    RESPONDED,
    STATUS_CODE,
    STATUS_NAMES,
)

# Status → where the time went, for breach causes.
_CAUSE_OF_STATUS = {
    "new": BreachCause.QUEUE,
    "assigned": BreachCause.QUEUE,
    "in_progress": BreachCause.WORK,
    "awaiting_customer": BreachCause.AWAITING_CUSTOMER,
    "awaiting_vendor": BreachCause.AWAITING_THIRD_PARTY,
    "awaiting_internal": BreachCause.AWAITING_THIRD_PARTY,
}
CAUSES: tuple[str, ...] = (
    BreachCause.QUEUE,
    BreachCause.WORK,
    BreachCause.AWAITING_CUSTOMER,
    BreachCause.AWAITING_THIRD_PARTY,
)
_STATUS_CAUSE = np.array(
    [CAUSES.index(_CAUSE_OF_STATUS[s]) if s in _CAUSE_OF_STATUS else -1 for s in STATUS_NAMES],
    dtype=np.int64,
)
REASSIGNMENT_CAUSE = 3  # this many reassignments or more name the cause "reassignments"


@dataclass(frozen=True)
class Subset:
    """The tickets (rows of a frame) one promise is evaluated on, and their events."""

    rows: IntArray  # rows of the ticket frame
    table: EventTable


def subset(
    tickets: TicketFrame,
    events: EventFrame,
    rows: IntArray,
    *,
    response: bool,
    opened: bool = False,
) -> Subset:
    """Events of the tickets ``rows`` as an engine table (ticket index = position in rows).

    With ``opened`` each ticket's ``opened_at`` is added as an ``opened`` event, first
    among the events at that instant (the engine keeps the order of ties). For response
    metrics the ticket's ``responded_at`` is added as a ``responded`` event and
    everything after the first work-started status is dropped.
    """
    local = np.full(len(tickets), -1, dtype=np.int64)
    local[rows] = np.arange(rows.size)
    ev_row = np.searchsorted(tickets.id, events.ticket)
    ev_row = np.clip(ev_row, 0, max(len(tickets) - 1, 0))
    pick = (tickets.id[ev_row] == events.ticket) & (local[ev_row] >= 0)
    t, at = local[ev_row[pick]], events.at[pick]
    status, prio = events.status[pick], events.priority[pick]
    if opened:
        t, at, status, prio = _with_opening(tickets.opened[rows], t, at, status, prio)
    if response:
        responded = tickets.responded[rows]
        has = responded != NONE
        t = np.concatenate([t, np.flatnonzero(has)])
        at = np.concatenate([at, responded[has]])
        status = np.concatenate([status, np.full(int(has.sum()), STATUS_CODE[RESPONDED])])
        prio = np.concatenate([prio, np.full(int(has.sum()), -1)])
        order = np.lexsort((at, t))
        t, at, status, prio = t[order], at[order], status[order], prio[order]
        t, at, status, prio = _until_first_response(t, at, status, prio)
    status = np.where(status < 0, STATUS_CODE["other"], status)
    table = EventTable(t, at, status, prio, STATUS_NAMES, PRIORITY_NAMES, int(rows.size))
    return Subset(rows, table)


def _with_opening(
    opened: IntArray, t: IntArray, at: IntArray, status: IntArray, prio: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The events with an ``opened`` event per ticket put in front (unsorted)."""
    has = np.flatnonzero(opened != NONE)
    return (
        np.concatenate([has, t]),
        np.concatenate([opened[has], at]),
        np.concatenate([np.full(has.size, STATUS_CODE[OPENED]), status]),
        np.concatenate([np.full(has.size, -1), prio]),
    )


def _until_first_response(
    t: IntArray, at: IntArray, status: IntArray, prio: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Drop the events after each ticket's first work-started status."""
    from servicegate.measurement.rules import WORK_STARTED

    started = np.isin(status, [STATUS_CODE[s] for s in WORK_STARTED])
    idx = np.arange(t.size)
    first = np.full(int(t.max()) + 1 if t.size else 0, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, t[started], idx[started])
    keep = idx <= first[t]
    return t[keep], at[keep], status[keep], prio[keep]


def evaluate(s: Subset, rules: ClockRules, cal: Calendar, now: int) -> ClockBatch:
    """The engine's clocks for the subset."""
    return evaluate_clocks(s.table, rules, cal, now=now)


def status_times(tickets: TicketFrame, events: EventFrame, now: int) -> IntArray:
    """Per ticket (row) and cause column: wall seconds spent in those statuses."""
    n = len(tickets)
    out = np.zeros((n, len(CAUSES)), dtype=np.int64)
    if events.ticket.size == 0 or n == 0:
        return out
    row = np.searchsorted(tickets.id, events.ticket)
    nxt = np.empty_like(events.at)
    nxt[:-1] = events.at[1:]
    last = np.append(events.ticket[1:] != events.ticket[:-1], True)
    nxt[last] = now
    dur = np.maximum(nxt - events.at, 0)
    col = _STATUS_CAUSE[np.where(events.status < 0, STATUS_CODE["other"], events.status)]
    ok = col >= 0
    np.add.at(out, (row[ok], col[ok]), dur[ok])
    return out


CAUSE_NAMES: tuple[str, ...] = tuple(str(c) for c in ("", *CAUSES, BreachCause.REASSIGNMENTS))


def causes(times: IntArray, reassignments: IntArray) -> IntArray:
    """The dominant cause per ticket, as an index into ``CAUSE_NAMES`` (0: none).

    Reassignments if many, else the status the ticket spent longest in.
    """
    codes = np.argmax(times, axis=1) + 1
    codes = np.where(times.max(axis=1) == 0, 0, codes)
    return np.where(reassignments >= REASSIGNMENT_CAUSE, len(CAUSE_NAMES) - 1, codes)
