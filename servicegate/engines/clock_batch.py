"""Clocks of many tickets at once, with array operations.

:func:`evaluate_clocks` gives, for every ticket of an :class:`EventTable`, exactly what
:func:`servicegate.engines.clocks.evaluate_clock` gives for that ticket alone (the
semantics are documented in :mod:`servicegate.engines.clocks`), as a
:class:`ClockBatch` of arrays. Cost is a few passes over the events plus one merge of
the held spans and one vectorised deadline search per target level.

Pure Python/numpy; never imports Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from servicegate.engines import sla
from servicegate.engines.calendars import Calendar
from servicegate.engines.clock_rules import (
    NONE,
    PAUSE,
    RUN,
    STATES,
    STOP,
    ClockResult,
    ClockRules,
    StatusEvent,
)
from servicegate.engines.open_intervals import OpenIntervals

__all__ = ["ClockBatch", "EventTable", "evaluate_clocks"]


@dataclass(frozen=True)
class EventTable:
    """Status events of many tickets as flat arrays (one entry per event).

    ``ticket`` (0..n_tickets-1), ``at`` (UTC epoch s), ``status`` (index into
    ``status_names``) and ``priority`` (index into ``priority_names``; -1 = unchanged).
    Events need not be sorted.
    """

    ticket: np.ndarray
    at: np.ndarray
    status: np.ndarray
    priority: np.ndarray
    status_names: tuple[str, ...]
    priority_names: tuple[str, ...]
    n_tickets: int

    @classmethod
    def from_histories(cls, histories: Sequence[Sequence[StatusEvent]]) -> EventTable:
        """Build the table from per-ticket event lists (convenient, not fast)."""
        statuses: dict[str, int] = {}
        priorities: dict[str, int] = {}
        rows: list[tuple[int, int, int, int]] = []
        for t, events in enumerate(histories):
            for e in events:
                p = -1 if e.priority is None else priorities.setdefault(e.priority, len(priorities))
                rows.append((t, e.at, statuses.setdefault(e.status, len(statuses)), p))
        arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
        return cls(
            arr[:, 0],
            arr[:, 1],
            arr[:, 2],
            arr[:, 3],
            tuple(statuses),
            tuple(priorities),
            len(histories),
        )


@dataclass(frozen=True)
class ClockBatch:
    """Clock results for many tickets as arrays; ``NONE`` marks a missing instant.

    ``state`` holds indices into ``STATES``; ``warnings`` has one column per warn fraction.
    """

    state: np.ndarray
    started_at: np.ndarray
    stopped_at: np.ndarray
    deadline: np.ndarray
    business_elapsed: np.ndarray
    elapsed: np.ndarray
    paused_seconds: np.ndarray
    breached: np.ndarray
    breach_at: np.ndarray
    cycles: np.ndarray
    warnings: np.ndarray
    target_seconds: np.ndarray
    warn_fractions: tuple[float, ...]

    def __len__(self) -> int:
        return int(self.state.size)

    def result(self, i: int) -> ClockResult:
        """The :class:`ClockResult` of ticket ``i``."""

        def opt(a: np.ndarray) -> int | None:
            return None if a[i] == NONE else int(a[i])

        warnings = tuple(
            (f, int(w))
            for f, w in zip(self.warn_fractions, self.warnings[i], strict=True)
            if w != NONE
        )
        return ClockResult(
            state=STATES[int(self.state[i])],
            started_at=opt(self.started_at),
            stopped_at=opt(self.stopped_at),
            deadline=opt(self.deadline),
            business_elapsed=int(self.business_elapsed[i]),
            elapsed=int(self.elapsed[i]),
            paused_seconds=int(self.paused_seconds[i]),
            breached=bool(self.breached[i]),
            breach_at=opt(self.breach_at),
            cycles=int(self.cycles[i]),
            warnings=warnings,
            target_seconds=opt(self.target_seconds),
        )


_STATE = {name: np.int8(i) for i, name in enumerate(STATES)}
_BIG = np.iinfo(np.int64).max


def _sorted_events(table: EventTable, now: int) -> tuple[np.ndarray, ...]:
    """Events up to ``now`` ordered by (ticket, at); ties keep their given order."""
    at = np.asarray(table.at, dtype=np.int64)
    keep = at <= now
    ticket = np.asarray(table.ticket, dtype=np.int64)[keep]
    status = np.asarray(table.status, dtype=np.int64)[keep]
    priority = np.asarray(table.priority, dtype=np.int64)[keep]
    at = at[keep]
    step_t, step_at = np.diff(ticket), np.diff(at)
    if np.all((step_t > 0) | ((step_t == 0) & (step_at >= 0))):
        return ticket, at, status, priority  # already ordered: skip the sort
    order = np.lexsort((at, ticket))
    return ticket[order], at[order], status[order], priority[order]


def _group_starts(keys: np.ndarray) -> np.ndarray:
    """Boolean: first element of each run of equal ``keys``."""
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _ticket_targets(
    rules: ClockRules, ticket: np.ndarray, priority: np.ndarray, table: EventTable
) -> np.ndarray:
    """Per ticket: the target of its latest priority (``NONE`` if none applies)."""
    if not isinstance(rules.target_seconds, Mapping):
        return np.full(table.n_tickets, int(rules.target_seconds), dtype=np.int64)
    known = np.flatnonzero(priority >= 0)
    latest = np.full(table.n_tickets, -1, dtype=np.int64)
    if known.size:
        last = known[np.append(ticket[known][1:] != ticket[known][:-1], True)]
        latest[ticket[last]] = priority[last]
    mapping = rules.target_seconds
    lookup = [int(mapping[n]) if n in mapping else NONE for n in table.priority_names]
    return np.array([*lookup, NONE], dtype=np.int64)[latest]


def _require_targets(targets: np.ndarray, tickets: np.ndarray, rules: ClockRules) -> None:
    missing = tickets[targets[tickets] == NONE]
    if missing.size:
        known = ", ".join(sorted(rules.target_seconds))  # type: ignore[arg-type]
        raise ValueError(
            f"Ticket {int(missing[0])} has no priority with a target; targets exist for: {known}."
        )


@dataclass(frozen=True)
class _Rows:
    """Active events (after each ticket's start) grouped into clock rows (cycles)."""

    ticket: np.ndarray  # per active event
    at: np.ndarray
    end: np.ndarray  # end of the segment the event opens
    cat: np.ndarray
    row: np.ndarray  # row of each active event
    first: np.ndarray  # first event index of each row
    last: np.ndarray
    cycles_start: np.ndarray  # per event: starts a cycle (opening or reopen)


def _rows(
    ticket: np.ndarray,
    at: np.ndarray,
    status: np.ndarray,
    table: EventTable,
    rules: ClockRules,
    now: int,
) -> _Rows:
    cat_of = np.array([rules.category(n) for n in table.status_names] or [RUN], dtype=np.int8)
    start_of = np.array([rules.starts(n) for n in table.status_names] or [True], dtype=bool)
    startable = np.flatnonzero(start_of[status])
    first_start = np.full(table.n_tickets, _BIG, dtype=np.int64)
    firsts = startable[_group_starts(ticket[startable])]
    first_start[ticket[firsts]] = firsts
    active = np.arange(ticket.size) >= first_start[ticket]
    ticket, at, cat = ticket[active], at[active], cat_of[status[active]]
    new_ticket = _group_starts(ticket)
    end = np.full(at.size, now, dtype=np.int64)
    end[:-1] = np.where(new_ticket[1:], now, at[1:])
    prev_cat = np.concatenate([[RUN], cat[:-1]])
    reopen = ~new_ticket & (cat != STOP) & (prev_cat == STOP)
    row_start = new_ticket | reopen if rules.reopen == "new_cycle" else new_ticket
    row = np.cumsum(row_start) - 1
    first = np.flatnonzero(row_start)
    last = np.append(first[1:] - 1, at.size - 1)
    return _Rows(ticket, at, end, cat, row, first, last, new_ticket | reopen)


def evaluate_clocks(
    table: EventTable,
    rules: ClockRules,
    calendar: Calendar | OpenIntervals,
    *,
    now: int,
) -> ClockBatch:
    """:func:`evaluate_clock` for every ticket of ``table`` at once, with array operations.

    Cost is a few passes over the events plus one merge of the held spans and one
    vectorised deadline search per target level.
    """
    ticket, at, status, priority = _sorted_events(table, now)
    targets = _ticket_targets(rules, ticket, priority, table)
    out = _empty_batch(table.n_tickets, targets, rules)
    r = _rows(ticket, at, status, table, rules, now)
    if r.at.size == 0:
        return out
    row_ticket = r.ticket[r.first]
    _require_targets(targets, row_ticket, rules)
    measured = _measure_rows(r, rules, calendar, targets[row_ticket], now)
    _fill_tickets(out, r, row_ticket, measured)
    return out


def _empty_batch(n: int, targets: np.ndarray, rules: ClockRules) -> ClockBatch:
    def none() -> np.ndarray:
        return np.full(n, NONE, dtype=np.int64)

    zeros = np.zeros(n, dtype=np.int64)
    return ClockBatch(
        state=np.zeros(n, dtype=np.int8),
        started_at=none(),
        stopped_at=none(),
        deadline=none(),
        business_elapsed=zeros.copy(),
        elapsed=zeros.copy(),
        paused_seconds=zeros.copy(),
        breached=np.zeros(n, dtype=bool),
        breach_at=none(),
        cycles=zeros.copy(),
        warnings=np.full((n, len(rules.warn_fractions)), NONE, dtype=np.int64),
        target_seconds=targets,
        warn_fractions=rules.warn_fractions,
    )


def _measure_rows(
    r: _Rows, rules: ClockRules, cal: Calendar | OpenIntervals, target: np.ndarray, now: int
) -> dict[str, np.ndarray]:
    """Per row: the quantities of :func:`_evaluate_cycle`."""
    n = r.at.size
    idx = np.arange(n)
    last_running = np.maximum.reduceat(np.where(r.cat != STOP, idx, -1), r.first)
    trail_first = np.where(last_running >= r.first, last_running + 1, r.first)
    stopped = r.cat[r.last] == STOP
    in_trail = idx >= trail_first[r.row]
    stopped_at = np.where(stopped, r.at[np.minimum(trail_first, n - 1)], NONE)
    tl = sla.open_intervals_for(cal, int(r.at.min()), now)
    b = tl.cumulative(r.end) - tl.cumulative(r.at)
    run, pause = (r.cat == RUN) & ~in_trail, (r.cat == PAUSE) & ~in_trail
    held = (r.cat != RUN) & ~in_trail
    start = r.at[r.first]
    merged = sla.merge_pauses(r.row[held], r.at[held], r.end[held], start, None)
    business = np.add.reduceat(np.where(run, b, 0), r.first)
    breached = business > target
    opens = [
        sla.deadlines_merged(cal, start, lv, merged, at_open=True) for lv in _levels(rules, target)
    ]
    warnings = (
        np.stack(opens[1:], axis=1) if len(opens) > 1 else np.zeros((start.size, 0), np.int64)
    )
    warnings = np.where(stopped[:, None] & (warnings > stopped_at[:, None]), NONE, warnings)
    state = np.where(
        stopped,
        np.where(breached, _STATE["missed"], _STATE["met"]),
        np.where(
            breached,
            _STATE["breached_running"],
            np.where(r.cat[r.last] == PAUSE, _STATE["paused"], _STATE["running"]),
        ),
    )
    return {
        "state": state,
        "started_at": start,
        "stopped_at": stopped_at,
        "deadline": sla.deadlines_merged(cal, start, target, merged),
        "business_elapsed": business,
        "elapsed": np.add.reduceat(np.where(run | pause, r.end - r.at, 0), r.first),
        "paused_seconds": np.add.reduceat(np.where(pause, b, 0), r.first),
        "breached": breached,
        "breach_at": np.where(breached, opens[0], NONE),
        "warnings": warnings,
    }


def _levels(rules: ClockRules, target: np.ndarray) -> list[np.ndarray]:
    """Per row: the target, then each warning level (computed once per distinct target)."""
    distinct, inverse = np.unique(target, return_inverse=True)
    table = np.array([[t, *rules.warn_levels(int(t))] for t in distinct.tolist()], dtype=np.int64)
    table = table.reshape(distinct.size, 1 + len(rules.warn_fractions))
    return [table[inverse, k] for k in range(table.shape[1])]


def _fill_tickets(
    out: ClockBatch, r: _Rows, row_ticket: np.ndarray, m: dict[str, np.ndarray]
) -> None:
    """Copy the current (last) row of each ticket; breaches of any row stick."""
    current = np.flatnonzero(np.append(row_ticket[1:] != row_ticket[:-1], True))
    tickets = row_ticket[current]
    for name in (
        "state",
        "started_at",
        "stopped_at",
        "deadline",
        "business_elapsed",
        "elapsed",
        "paused_seconds",
        "warnings",
    ):
        getattr(out, name)[tickets] = m[name][current]
    firsts = np.flatnonzero(_group_starts(row_ticket))
    out.breached[tickets] = np.logical_or.reduceat(m["breached"], firsts)
    first_breach = np.minimum.reduceat(np.where(m["breached"], m["breach_at"], _BIG), firsts)
    out.breach_at[tickets] = np.where(first_breach == _BIG, NONE, first_breach)
    cycle_firsts = np.flatnonzero(_group_starts(r.ticket))
    out.cycles[tickets] = np.add.reduceat(r.cycles_start.astype(np.int64), cycle_firsts)
