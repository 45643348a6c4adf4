"""Percentile promises: "95 % of P2 incidents responded within 4 business hours".

Attainment over a period is the share of tickets that met the target, ``met / n``; the
Wilson score interval gives its uncertainty. A promise is *kept* when the observed
attainment reaches the promised level; the verdict says whether the data are clear:

* ``"likely_kept"``   — the whole interval lies at or above the level (``ci_low >= level``);
* ``"likely_missed"`` — the whole interval lies below it (``ci_high < level``);
* ``"undecided"``     — the interval straddles the level: more data are needed;
* ``"no_data"``       — no tickets in the period.

Reference: E. B. Wilson, "Probable inference, the law of succession, and statistical
inference", JASA 22 (1927) 209-212; Agresti & Coull, Am. Stat. 52 (1998) 119-126.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "AttainmentResult",
    "Verdict",
    "evaluate_percentile_promise",
    "met_within",
    "wilson_interval",
]

Verdict = Literal["likely_kept", "likely_missed", "undecided", "no_data"]


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    With ``p = successes / n`` and ``z`` the two-sided normal quantile of ``confidence``::

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)

    Returns ``(centre - half, centre + half)`` clipped to [0, 1]; exactly 0 (1) when no
    (every) trial succeeded. ``n == 0`` gives the uninformative ``(0.0, 1.0)``.
    """
    if n < 0 or not 0 <= successes <= n:
        raise ValueError("Need 0 <= successes <= n.")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1, e.g. 0.95.")
    if n == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class AttainmentResult:
    """Attainment of a percentile promise over one period (fractions in 0..1)."""

    n: int
    met: int
    attainment: float  # met / n; NaN without data
    ci_low: float
    ci_high: float
    target_level: float
    confidence: float
    kept: bool  # attainment >= target_level
    likely_kept: bool  # ci_low >= target_level
    verdict: Verdict


def evaluate_percentile_promise(
    met: npt.ArrayLike, level: float, confidence: float = 0.95
) -> AttainmentResult:
    """Attainment of "``level`` of tickets meet the target" from one flag per ticket."""
    if not 0 < level <= 1:
        raise ValueError("The promised level must be a fraction in (0, 1], e.g. 0.95.")
    flags = np.asarray(met, dtype=bool).ravel()
    n, successes = int(flags.size), int(np.count_nonzero(flags))
    low, high = wilson_interval(successes, n, confidence)
    attainment = successes / n if n else math.nan
    verdict: Verdict
    if n == 0:
        verdict = "no_data"
    elif low >= level:
        verdict = "likely_kept"
    elif high < level:
        verdict = "likely_missed"
    else:
        verdict = "undecided"
    return AttainmentResult(
        n=n,
        met=successes,
        attainment=attainment,
        ci_low=low,
        ci_high=high,
        target_level=level,
        confidence=confidence,
        kept=bool(n and attainment >= level),
        likely_kept=verdict == "likely_kept",
        verdict=verdict,
    )


def met_within(business_seconds: npt.ArrayLike, target_seconds: int) -> npt.NDArray[np.bool_]:
    """Per ticket: business time used ≤ target (the clock was not breached)."""
    return np.asarray(business_seconds, dtype=np.int64) <= int(target_seconds)
