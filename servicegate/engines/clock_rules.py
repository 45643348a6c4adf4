"""What SLA clocks are made of: rules, status events, results and states.

:class:`ClockRules` says which statuses start, pause and stop a clock and what its
target is; a ticket's history is a sequence of :class:`StatusEvent`; a clock's state at
``now`` is a :class:`ClockResult` (one of :data:`STATES`). Shared by the single-ticket
evaluation in :mod:`servicegate.engines.clocks` and the batch evaluation in
:mod:`servicegate.engines.clock_batch`; the semantics are documented in
:mod:`servicegate.engines.clocks`.

Pure Python/numpy; never imports Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np

__all__ = [
    "NONE",
    "PAUSE",
    "RUN",
    "STATES",
    "STOP",
    "ClockResult",
    "ClockRules",
    "State",
    "StatusEvent",
]

State = Literal["not_started", "running", "paused", "met", "breached_running", "missed"]
STATES: tuple[State, ...] = (
    "not_started",
    "running",
    "paused",
    "met",
    "breached_running",
    "missed",
)
NONE = np.iinfo(np.int64).min  # "no value" in int64 result arrays
RUN, PAUSE, STOP = 0, 1, 2


@dataclass(frozen=True)
class ClockRules:
    """Which statuses start, pause and stop a clock, and its target in business seconds.

    ``target_seconds`` is one target or a mapping priority → target.
    """

    start_statuses: frozenset[str] = frozenset()
    pause_statuses: frozenset[str] = frozenset()
    stop_statuses: frozenset[str] = frozenset()
    reopen: Literal["resume", "new_cycle"] = "resume"
    target_seconds: int | Mapping[str, int] = field(default=0, hash=False)
    warn_fractions: tuple[float, ...] = (0.5, 0.75, 1.0)

    def __post_init__(self) -> None:
        both = self.pause_statuses & self.stop_statuses
        if both:
            raise ValueError(f"Statuses {sorted(both)} both pause and stop; choose one role.")
        if self.reopen not in ("resume", "new_cycle"):
            raise ValueError("reopen must be 'resume' or 'new_cycle'.")
        if isinstance(self.target_seconds, Mapping):
            frozen = MappingProxyType(dict(self.target_seconds))
            object.__setattr__(self, "target_seconds", frozen)
            targets = list(frozen.values())
        else:
            targets = [self.target_seconds]
        if any(int(t) < 0 for t in targets):
            raise ValueError("Targets must not be negative.")
        if any(not f > 0 for f in self.warn_fractions):
            raise ValueError("Warning fractions must be positive, e.g. (0.5, 0.75, 1.0).")

    def category(self, status: str) -> int:
        """RUN, PAUSE or STOP for a status of a started clock."""
        if status in self.stop_statuses:
            return STOP
        return PAUSE if status in self.pause_statuses else RUN

    def starts(self, status: str) -> bool:
        return not self.start_statuses or status in self.start_statuses

    def target_for(self, priority: str | None) -> int:
        """Target in business seconds for ``priority``; ``ValueError`` if none applies."""
        if not isinstance(self.target_seconds, Mapping):
            return int(self.target_seconds)
        if priority is None or priority not in self.target_seconds:
            known = ", ".join(sorted(self.target_seconds))
            raise ValueError(f"No target for priority {priority!r}; targets exist for: {known}.")
        return int(self.target_seconds[priority])

    def warn_levels(self, target: int) -> list[int]:
        """Business seconds at which each warning fires: ``ceil(fraction * target)``."""
        return [math.ceil(round(f * target, 6)) for f in self.warn_fractions]


@dataclass(frozen=True)
class StatusEvent:
    """The ticket entered ``status`` at ``at`` (UTC epoch s); ``priority`` if it changed."""

    at: int
    status: str
    priority: str | None = None


@dataclass(frozen=True)
class ClockResult:
    """A clock's state at ``now``; times in UTC epoch seconds, durations in seconds.

    ``elapsed`` is wall-clock time running or paused; ``business_elapsed`` business time
    running; ``paused_seconds`` business time paused. For ``"new_cycle"`` clocks the
    values describe the current cycle, except ``breached``/``breach_at`` (any cycle).
    """

    state: State
    started_at: int | None
    stopped_at: int | None
    deadline: int | None
    business_elapsed: int
    elapsed: int
    paused_seconds: int
    breached: bool
    breach_at: int | None
    cycles: int
    warnings: tuple[tuple[float, int], ...]
    target_seconds: int | None
