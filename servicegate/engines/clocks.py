"""SLA clocks over a ticket's status history.

A clock follows the ticket's statuses (``ClockRules`` says which start, pause and stop
it) and measures business time against a target:

* **Start** at the first event whose status is a start status (any event when
  ``start_statuses`` is empty — the opening). Events before the start do not count.
* **Run / pause / stop**: from each event until the next one (or ``now``), the clock
  runs, is paused (pause status) or is stopped (stop status).
* **Reopen**: a non-stop status after a stop status. ``"resume"`` continues the same
  clock — the stopped stretch counts like a pause; ``"new_cycle"`` starts a fresh clock
  with the full target at the reopen instant. ``cycles`` counts the opening plus every
  reopen, in both modes.
* **Priority**: the latest priority known at ``now`` selects the target; a change is a
  reclassification and recomputes the whole clock from its start with the new target,
  keeping every pause.
* **Breach**: business time running (not paused, not stopped) exceeds the target. The
  breach instant (``breach_at``) is the first open, unpaused instant at which the target
  is used up; from then on the clock stays breached — ``breached`` and ``breach_at`` also
  keep a breach of an earlier cycle. ``deadline`` is the instant the target is used up
  given the known pauses (projected for an active clock: a current pause is assumed to
  end at ``now``; for a stopped clock: as if it had kept running).
* **Warnings**: at each ``warn_fraction`` of the target, at the first open, unpaused
  instant where that much business time is used — never at a closing edge or at
  midnight of a closed day. Active clocks list all (future ones projected); stopped
  clocks only those reached by the stop.

``evaluate_clock`` (here) evaluates one ticket step by step; ``evaluate_clocks`` (in
:mod:`servicegate.engines.clock_batch`) evaluates many tickets with array operations and
gives identical results. The rules, events, results and states they share live in
:mod:`servicegate.engines.clock_rules`; everything is importable from this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from servicegate.engines import sla
from servicegate.engines.calendars import Calendar
from servicegate.engines.clock_batch import ClockBatch, EventTable, evaluate_clocks
from servicegate.engines.clock_rules import (
    NONE,
    STATES,
    ClockResult,
    ClockRules,
    State,
    StatusEvent,
)
from servicegate.engines.clock_rules import PAUSE as PAUSE
from servicegate.engines.clock_rules import RUN as RUN
from servicegate.engines.clock_rules import STOP as STOP
from servicegate.engines.open_intervals import OpenIntervals

__all__ = [
    "NONE",
    "STATES",
    "ClockBatch",
    "ClockResult",
    "ClockRules",
    "EventTable",
    "State",
    "StatusEvent",
    "evaluate_clock",
    "evaluate_clocks",
]

Segment = tuple[int, int, int]  # (from, to, RUN/PAUSE/STOP)


def _segments(history: Sequence[StatusEvent], rules: ClockRules, now: int) -> list[Segment]:
    """From each event to the next (the last to ``now``), with the clock's category."""
    ends = [e.at for e in history[1:]] + [now]
    return [(e.at, end, rules.category(e.status)) for e, end in zip(history, ends, strict=True)]


def _cycles(segments: list[Segment], reopen: str) -> list[list[Segment]]:
    """Split at reopens (non-stop after stop) for ``new_cycle``; one cycle for ``resume``."""
    if reopen == "resume":
        return [segments]
    cycles: list[list[Segment]] = [[]]
    for seg in segments:
        if cycles[-1] and cycles[-1][-1][2] == STOP and seg[2] != STOP:
            cycles.append([])
        cycles[-1].append(seg)
    return cycles


@dataclass(frozen=True)
class _Cycle:
    state: State
    started_at: int
    stopped_at: int | None
    deadline: int
    business_elapsed: int
    elapsed: int
    paused_seconds: int
    breached: bool
    breach_at: int | None
    warnings: tuple[tuple[float, int], ...]


def _business(cal: Calendar | OpenIntervals, spans: list[tuple[int, int]]) -> int:
    if not spans:
        return 0
    starts, ends = zip(*spans, strict=True)
    return int(sla.business_seconds(cal, list(starts), list(ends)).sum())


def _deadlines(
    cal: Calendar | OpenIntervals,
    start: int,
    levels: list[int],
    held: list[tuple[int, int]],
    *,
    at_open: bool,
) -> list[int]:
    """Deadlines from ``start`` for each level, every one with the same held spans."""
    rows = [r for r in range(len(levels)) for _ in held]
    result = sla.deadlines(
        cal,
        [start] * len(levels),
        levels,
        pause_starts=[a for _ in levels for a, _b in held] if held else None,
        pause_ends=[b for _ in levels for _a, b in held] if held else None,
        pause_rows=rows if held else None,
        at_open=at_open,
    )
    return [int(v) for v in result]


def _evaluate_cycle(
    segs: list[Segment], target: int, rules: ClockRules, cal: Calendar | OpenIntervals, now: int
) -> _Cycle:
    k = len(segs)
    while k > 0 and segs[k - 1][2] == STOP:
        k -= 1
    stopped_at = segs[k][0] if k < len(segs) else None
    body = segs[:k]
    running = [(a, b) for a, b, c in body if c == RUN]
    paused = [(a, b) for a, b, c in body if c == PAUSE]
    held = [(a, b) for a, b, c in body if c != RUN]
    start = segs[0][0]
    levels = [target, *rules.warn_levels(target)]
    deadline = int(_deadlines(cal, start, [target], held, at_open=False)[0])
    instants = _deadlines(cal, start, levels, held, at_open=True)
    business = _business(cal, running)
    breached = business > target
    warnings = tuple(
        (f, int(w))
        for f, w in zip(rules.warn_fractions, instants[1:], strict=True)
        if stopped_at is None or w <= stopped_at
    )
    return _Cycle(
        state=_state(stopped_at is not None, bool(body) and body[-1][2] == PAUSE, breached),
        started_at=start,
        stopped_at=stopped_at,
        deadline=deadline,
        business_elapsed=business,
        elapsed=sum(b - a for a, b in running + paused),
        paused_seconds=_business(cal, paused),
        breached=breached,
        breach_at=int(instants[0]) if breached else None,
        warnings=warnings,
    )


def _state(stopped: bool, paused: bool, breached: bool) -> State:
    if stopped:
        return "missed" if breached else "met"
    if breached:
        return "breached_running"
    return "paused" if paused else "running"


def _latest_priority(history: Sequence[StatusEvent]) -> str | None:
    return next((e.priority for e in reversed(history) if e.priority is not None), None)


def _not_started(rules: ClockRules, priority: str | None) -> ClockResult:
    target = None
    if not isinstance(rules.target_seconds, Mapping) or priority in rules.target_seconds:
        target = rules.target_for(priority)
    return ClockResult("not_started", None, None, None, 0, 0, 0, False, None, 0, (), target)


def evaluate_clock(
    events: Sequence[StatusEvent],
    rules: ClockRules,
    calendar: Calendar | OpenIntervals,
    *,
    now: int,
) -> ClockResult:
    """The clock of one ticket at ``now`` (events after ``now`` are ignored).

    Events are taken in time order (ties keep their given order). Raises ``ValueError``
    if the clock has started and no target applies to the ticket's priority.
    """
    history = sorted((e for e in events if e.at <= now), key=lambda e: e.at)
    priority = _latest_priority(history)
    start = next((i for i, e in enumerate(history) if rules.starts(e.status)), None)
    if start is None:
        return _not_started(rules, priority)
    target = rules.target_for(priority)
    segments = _segments(history[start:], rules, now)
    cycles = [
        _evaluate_cycle(c, target, rules, calendar, now) for c in _cycles(segments, rules.reopen)
    ]
    current = cycles[-1]
    breaches = [c.breach_at for c in cycles if c.breach_at is not None]
    return ClockResult(
        state=current.state,
        started_at=current.started_at,
        stopped_at=current.stopped_at,
        deadline=current.deadline,
        business_elapsed=current.business_elapsed,
        elapsed=current.elapsed,
        paused_seconds=current.paused_seconds,
        breached=bool(breaches),
        breach_at=min(breaches) if breaches else None,
        cycles=len(_cycles(segments, "new_cycle")),
        warnings=current.warnings,
        target_seconds=target,
    )
