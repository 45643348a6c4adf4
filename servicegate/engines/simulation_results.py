"""Figures of a simulation run: per customer class and overall.

Both simulation engines (:mod:`servicegate.engines.fcfs` and
:mod:`servicegate.engines.simulation`) hand their per-customer records —
waits, responses, resolutions, abandonments and class indices — to
:func:`result_from_records`, which condenses them into a :class:`SimulationResult`.

Pure Python/numpy; never imports Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from servicegate.engines.workload import FloatArray

__all__ = ["ClassResult", "Records", "SimulationResult", "result_from_records"]

Records = tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_], NDArray[np.intp]]
"""Per measured customer, in arrival order: wait, response, resolution (business
seconds; ``inf`` when never answered or resolved), abandoned, class index."""


@dataclass(frozen=True)
class ClassResult:
    """Figures of one customer class (or of all customers).

    ``p_wait``: share that waited at all; ``service_level``: share answered (first
    response) within ``answer_within_seconds`` — abandoned and never-served
    customers are misses; ``asa_seconds``: mean wait of all customers (abandoned
    ones until they left); ``resolution_level``: share resolved within
    ``resolve_within_seconds`` (NaN when no target was given). Waits and
    resolution times are business seconds of the model's calendar; pauses
    waiting on the customer do not count towards resolution.
    """

    name: str
    customers: int
    p_wait: float
    service_level: float
    asa_seconds: float
    p_abandon: float
    mean_resolution_seconds: float
    resolution_level: float

    def to_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict (NaN becomes ``None``)."""
        return {
            k: (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in vars(self).items()
        }


@dataclass(frozen=True)
class SimulationResult:
    """Overall and per-class figures of one run, plus the per-customer records.

    The arrays hold one entry per measured customer (after the warm-up), in
    arrival order: ``wait_seconds``, ``response_seconds`` (``inf`` if never
    answered), ``resolution_seconds`` (``inf`` if never resolved), ``abandoned``
    and ``class_index``.
    """

    overall: ClassResult
    classes: tuple[ClassResult, ...]
    wait_seconds: FloatArray = field(repr=False)
    response_seconds: FloatArray = field(repr=False)
    resolution_seconds: FloatArray = field(repr=False)
    abandoned: NDArray[np.bool_] = field(repr=False)
    class_index: NDArray[np.intp] = field(repr=False)

    @property
    def customers(self) -> int:
        return self.overall.customers

    @property
    def p_wait(self) -> float:
        return self.overall.p_wait

    @property
    def service_level(self) -> float:
        return self.overall.service_level

    @property
    def asa_seconds(self) -> float:
        return self.overall.asa_seconds

    @property
    def p_abandon(self) -> float:
        return self.overall.p_abandon

    def to_dict(self) -> dict[str, Any]:
        """Overall figures plus ``classes`` (without the per-customer arrays)."""
        return {**self.overall.to_dict(), "classes": [c.to_dict() for c in self.classes]}


def _class_result(
    name: str,
    wait: FloatArray,
    response: FloatArray,
    resolution: FloatArray,
    abandoned: NDArray[np.bool_],
    within: float,
    resolve_within: float | None,
) -> ClassResult:
    n = int(wait.size)
    if n == 0:
        nan = math.nan
        return ClassResult(name, 0, nan, nan, nan, nan, nan, nan)
    done = np.isfinite(resolution)
    return ClassResult(
        name=name,
        customers=n,
        p_wait=float(np.mean(wait > 1e-9)),
        service_level=float(np.mean(response <= within + 1e-9)),
        asa_seconds=float(np.mean(wait)),
        p_abandon=float(np.mean(abandoned)),
        mean_resolution_seconds=float(np.mean(resolution[done])) if done.any() else math.nan,
        resolution_level=(
            math.nan if resolve_within is None else float(np.mean(resolution <= resolve_within))
        ),
    )


def result_from_records(
    names: Sequence[str], records: Records, within: float, resolve_within: float | None
) -> SimulationResult:
    """Overall and per-class figures (class ``k`` is ``names[k]``) of ``records``.

    A customer answered within ``within`` business seconds meets the service level;
    ``resolve_within`` (None: no resolution target) sets the resolution level.
    """
    wait, response, resolution, abandoned, cls = records
    overall = _class_result("all", wait, response, resolution, abandoned, within, resolve_within)
    per_class = tuple(
        _class_result(
            name, wait[m], response[m], resolution[m], abandoned[m], within, resolve_within
        )
        for k, name in enumerate(names)
        for m in [cls == k]
    )
    return SimulationResult(overall, per_class, wait, response, resolution, abandoned, cls)
