"""The work that enters a simulated queue: arrival processes and duration samplers.

Arrivals are a Poisson process with a piecewise-constant rate (:class:`PiecewiseRate`,
one rate per forecast bucket); :func:`poisson_arrivals` draws its instants exactly and
:func:`open_hours_rate` builds a rate that is zero outside a schedule's open hours.
Handling, patience, travel and pause durations come from a :data:`Sampler`:
:func:`exponential`, :func:`constant`, :func:`lognormal` or :func:`empirical`.

Times are seconds, rates per second. Randomness comes only from the
``numpy.random.Generator`` passed in. Pure Python/numpy; never imports Django.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.schedules import Schedule

__all__ = [
    "FloatArray",
    "PiecewiseRate",
    "Sampler",
    "constant",
    "empirical",
    "exponential",
    "lognormal",
    "open_hours_rate",
    "poisson_arrivals",
    "require_positive",
]

FloatArray = NDArray[np.float64]
Sampler = Callable[[np.random.Generator, int], FloatArray]
"""Draws ``size`` non-negative durations in seconds from the given generator."""

# --- duration samplers ---------------------------------------------------------------


def require_positive(name: str, value: float) -> None:
    """Refuse ``value`` unless it is a finite positive number (``PlanningInputError``)."""
    if not (math.isfinite(value) and value > 0):
        raise PlanningInputError(f"The {name} ({value!r}) must be a positive number of seconds.")


def exponential(mean: float) -> Sampler:
    """Exponential durations with the given mean (seconds)."""
    require_positive("mean duration", mean)
    return lambda rng, size: rng.exponential(mean, size)


def constant(value: float) -> Sampler:
    """Always ``value`` seconds."""
    require_positive("constant duration", value)
    return lambda rng, size: np.full(size, float(value))


def lognormal(mean: float, cv: float) -> Sampler:
    """Log-normal durations with the given mean (seconds) and coefficient of variation."""
    require_positive("mean duration", mean)
    require_positive("coefficient of variation", cv)
    sigma2 = math.log1p(cv * cv)
    mu = math.log(mean) - sigma2 / 2
    return lambda rng, size: rng.lognormal(mu, math.sqrt(sigma2), size)


def empirical(samples: Sequence[float] | FloatArray) -> Sampler:
    """Resample observed durations (seconds) with replacement."""
    data = np.asarray(samples, dtype=np.float64)
    if data.size == 0 or not np.all(np.isfinite(data)) or np.any(data <= 0):
        raise PlanningInputError(
            "The handling-time samples must be a non-empty list of positive seconds."
        )
    return lambda rng, size: rng.choice(data, size)


# --- arrivals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PiecewiseRate:
    """Arrival rate ``rates[i]`` (per second) on ``[breakpoints[i], breakpoints[i+1])``.

    This is how a forecast enters the simulation: one rate per forecast bucket.
    """

    breakpoints: tuple[float, ...]
    rates: tuple[float, ...]

    def __post_init__(self) -> None:
        b, r = self.breakpoints, self.rates
        if len(b) != len(r) + 1 or len(r) == 0 or any(x >= y for x, y in itertools.pairwise(b)):
            raise PlanningInputError(
                "The piecewise arrival rate needs one more ascending breakpoint than rates."
            )
        if any(not (math.isfinite(x) and x >= 0) for x in r) or sum(r) <= 0:
            raise PlanningInputError(
                "The arrival rates must be zero or positive, and at least one must be positive."
            )

    @classmethod
    def constant(cls, rate: float, start: float, end: float) -> PiecewiseRate:
        """One rate over ``[start, end)``."""
        if not (math.isfinite(rate) and rate > 0):
            raise PlanningInputError(f"The arrival rate ({rate!r}) must be a positive number.")
        return cls((start, end), (rate,))


def open_hours_rate(schedule: Schedule, start: float, end: float, rate: float) -> PiecewiseRate:
    """``rate`` arrivals per second during the open hours of ``schedule`` in
    ``[start, end)``, none while closed (work that only arrives in business hours)."""
    if not (math.isfinite(rate) and rate > 0):
        raise PlanningInputError(f"The arrival rate ({rate!r}) must be a positive number.")
    points, rates = [start], []
    t = schedule.next_open(start)
    while t < end:
        close = min(schedule.next_close(t), end)
        if t > points[-1]:
            points.append(t)
            rates.append(0.0)
        points.append(close)
        rates.append(rate)
        t = schedule.next_open(close)
    if not rates:
        raise PlanningInputError("The schedule has no open hours in the simulated period.")
    return PiecewiseRate(tuple(points), tuple(rates))


def poisson_arrivals(rate: PiecewiseRate, rng: np.random.Generator) -> FloatArray:
    """Sorted arrival instants of a Poisson process with piecewise-constant rate.

    Exact: per piece a Poisson(rate·length) count of uniform instants.
    """
    b = np.asarray(rate.breakpoints)
    lengths = np.diff(b)
    counts = rng.poisson(np.asarray(rate.rates) * lengths)
    starts = np.repeat(b[:-1], counts)
    times: FloatArray = starts + rng.random(int(counts.sum())) * np.repeat(lengths, counts)
    times.sort()
    return times
