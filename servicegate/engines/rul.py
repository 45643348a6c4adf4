"""Remaining useful life (RUL) from condition data: NASA C-MAPSS run-to-failure histories.

Input is the C-MAPSS text format: one row per unit and cycle, 26 numbers separated by
spaces — unit, cycle, 3 operating settings, 21 sensors. Training units run until they
fail; test units stop some time before failure, and the model estimates how many
cycles each has left after its last row.

Model
-----
* **Target**: the piecewise-linear RUL ``min(RUL, 125)`` — a healthy engine shows no
  degradation, so early cycles all get the same ceiling (Heimes 2008; the usual
  choice on C-MAPSS).
* **Features** per cycle, from the sensors that vary (constant channels are dropped
  on the training data): the value, trailing means over 5, 10, 20, 30 and 50 cycles,
  exponentially weighted means (spans 10, 30, 60), the least-squares slope and the
  standard deviation over the last 20 and the last 50 cycles, and the cycle number.
* **Regressor**: scikit-learn's histogram gradient boosting (seeded), trained on
  every cycle of every training unit; the estimate at a test unit's last cycle is its
  prediction, clipped to ``[0, 125]``.

References: A. Saxena, K. Goebel, D. Simon, N. Eklund, "Damage propagation modeling
for aircraft engine run-to-failure simulation", PHM 2008; F. O. Heimes, "Recurrent
neural networks for remaining useful life estimation", PHM 2008.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from os import PathLike
from typing import Any

import numpy as np
from numpy.typing import NDArray

from servicegate.engines.reliability import ReliabilityDataError

__all__ = [
    "CmapssData",
    "RulModel",
    "fit_rul_model",
    "last_cycles",
    "parse_cmapss",
    "predict_rul",
    "read_cmapss",
    "read_true_rul",
    "rmse",
]

FloatArray = NDArray[np.float64]
COLUMNS = 26
SENSORS = 21
RUL_CEILING = 125.0
MEAN_WINDOWS = (5, 10, 20, 30, 50)
EWM_SPANS = (10, 30, 60)
SLOPE_WINDOWS = (20, 50)


@dataclass(frozen=True)
class CmapssData:
    """Rows of a C-MAPSS file sorted by unit and cycle."""

    units: NDArray[np.int64]
    cycles: NDArray[np.int64]
    settings: FloatArray  # (rows, 3)
    sensors: FloatArray  # (rows, 21)

    @property
    def unit_ids(self) -> NDArray[np.int64]:
        """The distinct units in file order."""
        return np.unique(self.units)


@dataclass(frozen=True)
class LastCycles:
    """Each unit's last row: its id and cycle."""

    units: NDArray[np.int64]
    cycles: NDArray[np.int64]


def parse_cmapss(text: str, *, name: str = "the file") -> CmapssData:
    """Parse C-MAPSS text; one sentence naming the first wrong row when it is malformed."""
    rows: list[list[float]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != COLUMNS:
            raise ReliabilityDataError(
                f"Row {number} of {name} has {len(parts)} columns, but a C-MAPSS file has "
                f"{COLUMNS} (unit, cycle, 3 settings, 21 sensors)."
            )
        try:
            rows.append([float(p) for p in parts])
        except ValueError:
            raise ReliabilityDataError(
                f"Row {number} of {name} holds a value that is not a number."
            ) from None
    if not rows:
        raise ReliabilityDataError(f"{name[0].upper()}{name[1:]} holds no C-MAPSS rows.")
    table = np.asarray(rows)
    if not np.all(np.isfinite(table)):
        raise ReliabilityDataError(f"{name[0].upper()}{name[1:]} holds values that are not finite.")
    ids = table[:, :2]
    if np.any(ids != np.round(ids)) or np.any(ids < 1):
        raise ReliabilityDataError(
            f"The unit and cycle columns of {name} must be whole numbers of at least 1."
        )
    order = np.lexsort((table[:, 1], table[:, 0]))
    table = table[order]
    units = table[:, 0].astype(np.int64)
    cycles = table[:, 1].astype(np.int64)
    same_unit = units[1:] == units[:-1]
    if np.any(same_unit & (cycles[1:] == cycles[:-1])):
        raise ReliabilityDataError(f"{name[0].upper()}{name[1:]} lists a cycle of a unit twice.")
    return CmapssData(units, cycles, table[:, 2:5].copy(), table[:, 5:].copy())


def read_cmapss(path: str | PathLike[str]) -> CmapssData:
    """Read a C-MAPSS text file (``train_FD001.txt``, ``test_FD001.txt``)."""
    return parse_cmapss(_read(path), name=f"the file {path}")


def _read(path: str | PathLike[str]) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ReliabilityDataError(
            f"The file {path} cannot be read ({exc.strerror or exc})."
        ) from None
    except UnicodeDecodeError:
        raise ReliabilityDataError(f"The file {path} is not a text file.") from None


def read_true_rul(path: str | PathLike[str]) -> FloatArray:
    """``RUL_FD001.txt``: one true remaining life per test unit."""
    try:
        return np.asarray([float(line) for line in _read(path).splitlines() if line.strip()])
    except ValueError:
        raise ReliabilityDataError(f"The file {path} must hold one number per row.") from None


def last_cycles(data: CmapssData) -> LastCycles:
    """Each unit's last row."""
    last = np.r_[data.units[1:] != data.units[:-1], True]
    return LastCycles(data.units[last], data.cycles[last])


def _unit_starts(units: NDArray[np.int64]) -> NDArray[np.int64]:
    return np.flatnonzero(np.r_[True, units[1:] != units[:-1]])


def _trailing(values: FloatArray, starts: NDArray[np.int64], window: int) -> FloatArray:
    """Trailing mean over ``window`` rows of the same unit (fewer at a unit's start)."""
    out = np.empty_like(values)
    ends = np.r_[starts[1:], len(values)]
    for a, b in zip(starts, ends, strict=True):
        block = values[a:b]
        csum = np.cumsum(np.vstack([np.zeros((1, block.shape[1])), block]), axis=0)
        idx = np.arange(1, b - a + 1)
        lo = np.maximum(idx - window, 0)
        out[a:b] = (csum[idx] - csum[lo]) / (idx - lo)[:, None]
    return out


def _ewm(values: FloatArray, starts: NDArray[np.int64], span: int) -> FloatArray:
    """Exponentially weighted mean (``α = 2/(span+1)``, adjusted at a unit's start)."""
    alpha = 2.0 / (span + 1.0)
    out = np.empty_like(values)
    ends = np.r_[starts[1:], len(values)]
    for a, b in zip(starts, ends, strict=True):
        num = np.zeros(values.shape[1])
        den = 0.0
        for i in range(a, b):
            num = (1 - alpha) * num + values[i]
            den = (1 - alpha) * den + 1.0
            out[i] = num / den
    return out


def _trailing_slope_and_std(
    values: FloatArray, starts: NDArray[np.int64], window: int
) -> tuple[FloatArray, FloatArray]:
    """Least-squares slope per cycle and standard deviation over the trailing window."""
    slope = np.zeros_like(values)
    std = np.zeros_like(values)
    ends = np.r_[starts[1:], len(values)]
    for a, b in zip(starts, ends, strict=True):
        block = values[a:b]
        n = b - a
        t = np.arange(n, dtype=float)[:, None]
        zeros = np.zeros((1, block.shape[1]))
        cy = np.cumsum(np.vstack([zeros, block]), axis=0)
        cyy = np.cumsum(np.vstack([zeros, block * block]), axis=0)
        cty = np.cumsum(np.vstack([zeros, t * block]), axis=0)
        ct = np.cumsum(np.r_[0.0, t[:, 0]])
        ctt = np.cumsum(np.r_[0.0, t[:, 0] ** 2])
        idx = np.arange(1, n + 1)
        lo = np.maximum(idx - window, 0)
        k = (idx - lo).astype(float)[:, None]
        sy = cy[idx] - cy[lo]
        syy = cyy[idx] - cyy[lo]
        sty = cty[idx] - cty[lo]
        st = (ct[idx] - ct[lo])[:, None]
        stt = (ctt[idx] - ctt[lo])[:, None]
        var_t = stt - st * st / k
        with np.errstate(divide="ignore", invalid="ignore"):
            slope[a:b] = np.where(var_t > 0, (sty - st * sy / k) / var_t, 0.0)
        std[a:b] = np.sqrt(np.clip(syy / k - (sy / k) ** 2, 0.0, None))
    return slope, std


@dataclass(frozen=True)
class RulModel:
    """A fitted RUL regressor and the sensor channels and scaling it uses."""

    channels: NDArray[np.int64]
    centre: FloatArray
    spread: FloatArray
    regressor: Any
    ceiling: float = RUL_CEILING


def _features(
    data: CmapssData, model_channels: NDArray[np.int64], centre: FloatArray, spread: FloatArray
) -> FloatArray:
    values = (data.sensors[:, model_channels] - centre) / spread
    starts = _unit_starts(data.units)
    parts = [values]
    parts += [_trailing(values, starts, w) for w in MEAN_WINDOWS]
    parts += [_ewm(values, starts, s) for s in EWM_SPANS]
    for window in SLOPE_WINDOWS:
        parts += list(_trailing_slope_and_std(values, starts, window))
    parts.append(data.cycles[:, None].astype(float))
    return np.hstack(parts)


def training_targets(data: CmapssData, ceiling: float = RUL_CEILING) -> FloatArray:
    """``min(last cycle − cycle, ceiling)`` for run-to-failure units."""
    last = last_cycles(data)
    end = dict(zip(last.units.tolist(), last.cycles.tolist(), strict=True))
    ends = np.asarray([end[u] for u in data.units.tolist()], dtype=float)
    return np.minimum(ends - data.cycles, ceiling)


def fit_rul_model(
    train: CmapssData,
    *,
    seed: int = 0,
    ceiling: float = RUL_CEILING,
    threads: int | None = None,
    rounds: int = 300,
) -> RulModel:
    """Fit the gradient-boosting RUL model on run-to-failure histories.

    ``threads`` caps the OpenMP threads of the fit (all cores when ``None``); on a
    busy machine one or two threads are much faster than too many. ``rounds`` is the
    number of boosting rounds (trees).
    """
    from sklearn.ensemble import HistGradientBoostingRegressor  # type: ignore[import-untyped]
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    if rounds < 1:
        raise ReliabilityDataError(
            f"The number of boosting rounds must be at least 1; got {rounds}."
        )
    if train.unit_ids.size < 2:
        raise ReliabilityDataError(
            "The training data need the histories of at least 2 units run to failure."
        )
    spread = train.sensors.std(axis=0)
    channels = np.flatnonzero(spread > 1e-6 * np.maximum(np.abs(train.sensors.mean(axis=0)), 1.0))
    centre = train.sensors[:, channels].mean(axis=0)
    scale = spread[channels]
    x = _features(train, channels, centre, scale)
    y = training_targets(train, ceiling)
    regressor = HistGradientBoostingRegressor(
        loss="squared_error",
        learning_rate=0.05,
        max_iter=rounds,
        max_leaf_nodes=31,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    with threadpool_limits(limits=threads):
        regressor.fit(x, y)
    return RulModel(channels, centre, scale, regressor, ceiling)


def predict_rul(model: RulModel, test: CmapssData) -> FloatArray:
    """One RUL estimate (cycles) per test unit, at its last row, in unit order."""
    x = _features(test, model.channels, model.centre, model.spread)
    last = np.r_[test.units[1:] != test.units[:-1], True]
    predicted = np.asarray(model.regressor.predict(x[last]), dtype=float)
    return np.asarray(np.clip(predicted, 0.0, model.ceiling), dtype=float)


def rmse(predicted: FloatArray, actual: FloatArray) -> float:
    """Root-mean-square error."""
    if predicted.shape != actual.shape:
        raise ReliabilityDataError(
            f"There are {predicted.size} predictions but {actual.size} true values."
        )
    return math.sqrt(float(np.mean((predicted - actual) ** 2)))
