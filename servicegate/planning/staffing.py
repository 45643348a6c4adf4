"""The staffing calculator: Erlang C/A for one interval, and the service level curve.

Inputs are per interval (e.g. 100 arrivals per 30 minutes) and in seconds; the
engine (``servicegate.engines.queueing``) works per second. Every bad input is
refused by the engine with one sentence (:class:`PlanningInputError`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from servicegate.engines.queueing import (
    PlanningInputError,
    QueueMetrics,
    check_max_occupancy,
    check_service_level,
    check_shrinkage,
    erlang_a,
    erlang_c_metrics,
    required_agents,
)

#: How many staffing levels the service-level curve shows.
CURVE_POINTS = 16


@dataclass(frozen=True)
class StaffingInput:
    """What the calculator is asked: arrivals per interval, times in seconds, shares 0..1."""

    arrivals: float
    interval_seconds: float
    aht_seconds: float
    target_service_level: float
    answer_within_seconds: float
    shrinkage: float = 0.0
    max_occupancy: float = 1.0
    patience_seconds: float | None = None
    agents: int | None = None

    @property
    def arrival_rate(self) -> float:
        """Arrivals per second; refuses a non-positive interval with a sentence."""
        if not (math.isfinite(self.interval_seconds) and self.interval_seconds > 0):
            raise PlanningInputError(
                f"The interval (interval={self.interval_seconds!r} s) must be a positive "
                "number of seconds, for example 1800 for 30 minutes."
            )
        return self.arrivals / self.interval_seconds


@dataclass(frozen=True)
class StaffingOutcome:
    """The staffing level (solved or given), positions after shrinkage, and the curve."""

    agents: int
    positions: int
    solved: bool
    metrics: QueueMetrics
    curve: tuple[QueueMetrics, ...]
    target_service_level: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (the curve as agents → service level)."""
        return {
            "agents": self.agents,
            "positions": self.positions,
            "solved": self.solved,
            "target_service_level": self.target_service_level,
            **{k: v for k, v in self.metrics.to_dict().items() if k != "agents"},
            "curve": [{"agents": m.agents, "service_level": m.service_level} for m in self.curve],
        }


def _metrics(inp: StaffingInput, agents: int) -> QueueMetrics:
    if inp.patience_seconds is None:
        return erlang_c_metrics(
            agents=agents,
            arrival_rate=inp.arrival_rate,
            aht_seconds=inp.aht_seconds,
            answer_within_seconds=inp.answer_within_seconds,
        )
    return erlang_a(
        agents=agents,
        arrival_rate=inp.arrival_rate,
        aht_seconds=inp.aht_seconds,
        patience_seconds=inp.patience_seconds,
        answer_within_seconds=inp.answer_within_seconds,
    )


def _curve(inp: StaffingInput, load: float, around: int) -> tuple[QueueMetrics, ...]:
    """Service level for staffing levels from about the load up to beyond ``around``.

    Erlang C needs more agents than the load; Erlang A is defined for any number.
    """
    lowest = math.floor(load) + 1 if inp.patience_seconds is None else max(1, math.floor(load))
    lowest = max(lowest, around - CURVE_POINTS // 2)
    return tuple(_metrics(inp, n) for n in range(lowest, lowest + CURVE_POINTS))


def staffing_compute(inp: StaffingInput) -> StaffingOutcome:
    """Solve for the fewest agents meeting the target, or evaluate ``inp.agents``.

    Raises :class:`PlanningInputError` (with the engine's sentence) on bad input or
    an unreachable target.
    """
    rate = inp.arrival_rate
    if inp.agents is None:
        result = required_agents(
            arrival_rate=rate,
            aht_seconds=inp.aht_seconds,
            answer_within_seconds=inp.answer_within_seconds,
            target_service_level=inp.target_service_level,
            patience_seconds=inp.patience_seconds,
            shrinkage=inp.shrinkage,
            max_occupancy=inp.max_occupancy,
        )
        metrics, positions, solved = result.metrics, result.positions, True
    else:
        _check_fixed(inp)
        metrics = _metrics(inp, inp.agents)
        positions = math.ceil(inp.agents / (1.0 - inp.shrinkage) - 1e-9)
        solved = False
    return StaffingOutcome(
        agents=metrics.agents,
        positions=positions,
        solved=solved,
        metrics=metrics,
        curve=_curve(inp, metrics.offered_load, metrics.agents),
        target_service_level=inp.target_service_level,
    )


def _check_fixed(inp: StaffingInput) -> None:
    """The checks ``required_agents`` makes, for an evaluation at a given staffing."""
    check_service_level("target_service_level", inp.target_service_level)
    check_shrinkage(inp.shrinkage)
    check_max_occupancy(inp.max_occupancy)
