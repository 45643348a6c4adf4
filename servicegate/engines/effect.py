"""Did an improvement work? The one-sided Fisher exact test on met / not-met counts.

Before an action (the baseline window) ``met_before`` of ``n_before`` clocks or tickets
met the KPI; after it (a window of the same length) ``met_after`` of ``n_after``. The
2×2 table::

                 met          not met
    after     met_after    n_after - met_after
    before    met_before   n_before - met_before

is tested with Fisher's exact test, ``alternative="greater"``: the null hypothesis is
an odds ratio of 1, the alternative that the odds of meeting the KPI are higher after
the action than before. The p-value is the hypergeometric probability of a table at
least as favourable to "after" as the observed one, given the margins.

The verdict is ``"improved"`` when ``p < alpha`` (0.05) and the after-rate is higher,
``"no_effect"`` otherwise, and ``"not_measurable"`` when either window holds nothing (no
p-value then).

Reference: R. A. Fisher, *Statistical Methods for Research Workers* (1925), §21.02;
``scipy.stats.fisher_exact``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scipy.stats import fisher_exact

__all__ = ["EffectResult", "effect_test"]

EffectVerdict = Literal["improved", "no_effect", "not_measurable"]
ALPHA = 0.05


@dataclass(frozen=True)
class EffectResult:
    """Rates before and after (None for an empty window), the p-value and the verdict."""

    rate_before: float | None
    rate_after: float | None
    p_value: float | None
    verdict: EffectVerdict


def effect_test(
    *, met_before: int, n_before: int, met_after: int, n_after: int, alpha: float = ALPHA
) -> EffectResult:
    """One-sided Fisher exact test that the after-rate beats the baseline rate.

    Raises ``ValueError`` for counts that cannot be (negative, or more met than counted).
    """
    for met, n in ((met_before, n_before), (met_after, n_after)):
        if n < 0 or met < 0 or met > n:
            raise ValueError(f"met={met} of n={n} is not a count of outcomes.")
    before = met_before / n_before if n_before else None
    after = met_after / n_after if n_after else None
    if before is None or after is None:
        return EffectResult(before, after, None, "not_measurable")
    table = [[met_after, n_after - met_after], [met_before, n_before - met_before]]
    _odds, p = fisher_exact(table, alternative="greater")
    p_value = float(min(1.0, p))
    verdict: EffectVerdict = "improved" if p_value < alpha and after > before else "no_effect"
    return EffectResult(before, after, p_value, verdict)
