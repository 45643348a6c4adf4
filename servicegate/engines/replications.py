"""Independent replications of a simulation, with confidence intervals.

:func:`replicate` runs a simulation on ``replications`` independent child generators
and reports each figure as a mean with a 95 % Student-t confidence interval
(:class:`Estimate`). :func:`replication_seeds` and :func:`generator_from` let
several models share the same seeds — common random numbers, as
:func:`servicegate.engines.simulation.compare` does.

Reference: A. M. Law, *Simulation Modeling and Analysis*, ch. 9–11.
Pure Python/numpy/scipy; never imports Django.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.simulation_results import SimulationResult

__all__ = [
    "Estimate",
    "ReplicationSummary",
    "generator_from",
    "replicate",
    "replication_seeds",
    "summarise",
]


@dataclass(frozen=True)
class Estimate:
    """Mean over replications with a 95 % Student-t confidence interval."""

    mean: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "low": self.low, "high": self.high}


def _estimate(values: Sequence[float], confidence: float = 0.95) -> Estimate:
    x = np.asarray([v for v in values if not math.isnan(v)], dtype=np.float64)
    if x.size == 0:
        return Estimate(math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if x.size < 2:
        return Estimate(mean, math.nan, math.nan)
    half = (
        float(stats.t.ppf(0.5 + confidence / 2, x.size - 1))
        * float(x.std(ddof=1))
        / math.sqrt(x.size)
    )
    return Estimate(mean, mean - half, mean + half)


_FIGURES = (
    "p_wait",
    "service_level",
    "asa_seconds",
    "p_abandon",
    "mean_resolution_seconds",
    "resolution_level",
)


@dataclass(frozen=True)
class ReplicationSummary:
    """Figures over independent replications: ``estimates[name]`` for each of
    p_wait, service_level, asa_seconds, p_abandon, mean_resolution_seconds and
    resolution_level, plus the single runs."""

    replications: int
    customers: int
    estimates: Mapping[str, Estimate]
    runs: tuple[SimulationResult, ...] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"replications": self.replications, "customers": self.customers}
        for name, e in self.estimates.items():
            out[name] = None if math.isnan(e.mean) else e.mean
            out[f"{name}_ci95"] = None if math.isnan(e.low) else [e.low, e.high]
        return out


def summarise(runs: Sequence[SimulationResult]) -> ReplicationSummary:
    """Estimates of every figure over ``runs`` (NaN figures of single runs are skipped)."""
    estimates = {f: _estimate([getattr(r.overall, f) for r in runs]) for f in _FIGURES}
    return ReplicationSummary(len(runs), sum(r.customers for r in runs), estimates, tuple(runs))


def replication_seeds(rng: np.random.Generator, replications: int) -> list[np.random.SeedSequence]:
    """``replications`` independent child seeds, drawn from one value of ``rng``."""
    if replications < 1:
        raise PlanningInputError(
            f"The number of replications (replications={replications!r}) must be at least 1."
        )
    return np.random.SeedSequence(int(rng.integers(2**63))).spawn(replications)


def generator_from(seed: np.random.SeedSequence) -> np.random.Generator:
    """A fresh generator for ``seed`` that leaves ``seed`` untouched.

    ``Generator.spawn`` advances the spawn counter of the seed sequence it was made
    from; copying keeps a seed reusable across models (common random numbers).
    """
    return np.random.default_rng(np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key))


def replicate(
    run: Callable[[np.random.Generator], SimulationResult],
    *,
    replications: int,
    rng: np.random.Generator,
) -> ReplicationSummary:
    """Run ``run`` on ``replications`` independent child generators of ``rng``."""
    seeds = replication_seeds(rng, replications)
    return summarise([run(generator_from(s)) for s in seeds])
