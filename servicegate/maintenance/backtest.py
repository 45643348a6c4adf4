"""Backtest of the fitted component lives: fit before a cutoff, predict the failures of
the period after it, compare with the failures that happened.

Per component name (pooled over the asset models that have it): a 2-parameter Weibull
is fitted to the lives that ended before ``cutoff`` (failures; preventive replacements
and the lives still running at the cutoff censored). Each asset's component is
``a`` days old at the cutoff (since its last failure or replacement); it is expected to
fail first at ``a + u`` with density ``f(a+u)/R(a)``; each failure renews the part, whose
further failures in the rest of the period follow the renewal function
``m(t) = F(t) + ∫₀ᵗ m(t−u) dF(u)`` (computed on a daily grid). A preventive replacement
``s`` days into the period (the maintenance schedule is known ahead) ends the old part's
span at ``s`` and starts a new part: ``m(h − s)`` more. The prediction is the sum over
the assets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from servicegate.engines.reliability import WeibullFit, weibull_fit
from servicegate.maintenance.choices import LifeEventKind
from servicegate.maintenance.models import Component, LifeEvent
from servicegate.maintenance.selectors import DAY, fleet_lives


@dataclass(frozen=True)
class BacktestRow:
    """One component's fit before the cutoff and its predicted and actual failures after."""

    component: str
    failures_before: int
    censored_before: int
    alpha: float
    beta: float
    assets: int
    predicted: float
    actual: int

    def as_dict(self) -> dict[str, float | int | str]:
        return vars(self).copy()


def backtest(*, cutoff: datetime, until: datetime) -> list[BacktestRow]:
    """Fit each component before ``cutoff`` and predict its failures in [cutoff, until)."""
    by_name: dict[str, list[Component]] = defaultdict(list)
    for component in Component.objects.select_related("asset_model").order_by("name", "id"):
        by_name[component.name].append(component)
    rows = []
    for name, components in by_name.items():
        lives = fleet_lives(components, until=cutoff)
        failures = [t for c in components for t in lives[c.pk].failures]
        censored = [t for c in components for t in lives[c.pk].censored]
        if len(failures) < 2:
            continue
        fit = weibull_fit(failures, censored or None)
        predicted, assets = _predict(fit, components, cutoff=cutoff, until=until)
        actual = LifeEvent.objects.filter(
            component__in=components,
            kind=LifeEventKind.FAILURE,
            at__gte=cutoff,
            at__lt=until,
        ).count()
        rows.append(
            BacktestRow(
                component=name,
                failures_before=len(failures),
                censored_before=len(censored),
                alpha=fit.alpha,
                beta=fit.beta,
                assets=assets,
                predicted=predicted,
                actual=actual,
            )
        )
    return rows


def renewal_function(fit: WeibullFit, *, days: int) -> NDArray[np.float64]:
    """``m(t)``, the expected failures of a new part renewed at each failure, for
    t = 0, 1, …, ``days`` − 1 days: ``m(t) = F(t) + Σᵤ m(t − u)·(F(u) − F(u − 1))``."""
    cdf = np.asarray(fit.cdf(np.arange(days, dtype=float)))
    density = np.diff(cdf, prepend=0.0)
    m = np.zeros(days)
    for t in range(1, days):
        m[t] = cdf[t] + float(np.dot(m[t - 1 :: -1][:t], density[1 : t + 1]))
    return m


def _aged(fit: WeibullFit, renewals: NDArray[np.float64], *, age: float, span: float) -> float:
    """Expected failures within ``span`` days of a part now ``age`` days old, renewed at
    each failure: its first failure at ``u`` (given it survived to ``age``), then ``m``."""
    u = np.arange(0.0, span + 1.0)
    survive = np.asarray(fit.reliability(age + u)) / float(fit.reliability(age))
    first = -np.diff(survive)  # probability of the first failure on day u
    rest = np.interp(span - u[1:], np.arange(renewals.size), renewals)
    return float(np.sum(first * (1.0 + rest)))


def _predict(
    fit: WeibullFit, components: list[Component], *, cutoff: datetime, until: datetime
) -> tuple[float, int]:
    """Expected failures in the period over the assets whose component age is known."""
    last: dict[tuple[int, int], datetime] = {}
    first_replacement: dict[tuple[int, int], datetime] = {}
    events = LifeEvent.objects.filter(component__in=components, at__lt=until).order_by("at")
    for component_id, asset_id, at, kind in events.values_list(
        "component_id", "asset_id", "at", "kind"
    ):
        key = (component_id, asset_id)
        if at < cutoff:
            last[key] = at
        elif kind == LifeEventKind.REPLACEMENT and key not in first_replacement:
            first_replacement[key] = at
    h = (until - cutoff).total_seconds() / DAY
    renewals = renewal_function(fit, days=int(h) + 2)
    total = 0.0
    for key, at in last.items():
        a = (cutoff - at).total_seconds() / DAY
        replaced = first_replacement.get(key)
        s = h if replaced is None else (replaced - cutoff).total_seconds() / DAY
        total += _aged(fit, renewals, age=a, span=s)
        if replaced is not None:  # a new part from the replacement on
            total += float(np.interp(h - s, np.arange(renewals.size), renewals))
    return total, len(last)
