"""When a component's expected remaining life drops below N days (remaining-life triggers).

For a part ``a`` days old with a Weibull life (α, β), the median remaining life is the
``t`` with ``R(a + t) / R(a) = ½``::

    m(a) = α·((a/α)^β + ln 2)^(1/β) − a

With β > 1 it shrinks as the part ages, so a trigger "remaining life below N days" fires
at the age ``a*`` where ``m(a*) = N`` (found by bisection; 0 when even a new part has
less than N days). With β ≤ 1 it never shrinks: such parts (and parts without a fit) do
not trigger. A part's age counts from its last failure or replacement, else from the
asset's installation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from servicegate.engines.reliability import WeibullFit
from servicegate.maintenance.models import Component, LifeEvent, PreventivePlan
from servicegate.maintenance.selectors import ComponentReliability, component_reliability
from servicegate.operations.models import Asset

#: Ages beyond a century are "never" (a service life is shorter).
MAX_AGE_DAYS = 36500.0


def median_remaining_life(fit: WeibullFit, age: float) -> float:
    """``m(a)`` in the fit's unit (days here), see the module docstring."""
    scaled = (max(age, 0.0) / fit.alpha) ** fit.beta
    return float(fit.alpha * (scaled + math.log(2)) ** (1 / fit.beta) - age)


def age_at_threshold(fit: WeibullFit, days: float) -> float:
    """The age at which the median remaining life falls to ``days`` (β > 1)."""
    if median_remaining_life(fit, 0.0) <= days:
        return 0.0
    lo, hi = 0.0, fit.alpha
    while median_remaining_life(fit, hi) > days:
        if hi > 1000 * fit.alpha:  # β barely above 1: the part never gets that worn
            return math.inf
        lo, hi = hi, hi * 2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if median_remaining_life(fit, mid) > days else (lo, mid)
    return hi


@dataclass(frozen=True)
class Due:
    """A component of an asset whose remaining life drops below the threshold on ``due_on``;
    ``life`` names the part's life (its start), so each part is ordered once."""

    component: Component
    life: str
    due_on: date


def covered_fits(plan: PreventivePlan, *, now: datetime) -> list[ComponentReliability]:
    """The wear-part fits of the components the plan's product covers."""
    terms = plan.product.preventive_terms
    components = list(terms.components.select_related("asset_model")) or list(
        terms.asset_model.components.select_related("asset_model")
    )
    return [r for r in component_reliability(components, until=now) if r.wear]


def dues(
    asset: Asset, fits: Sequence[ComponentReliability], *, threshold: float, now: datetime
) -> list[Due]:
    """When each covered wear part of ``asset`` reaches the threshold (one query)."""
    last: dict[int, datetime] = {}
    events = LifeEvent.objects.filter(
        asset=asset, component__in=[r.component for r in fits], at__lte=now
    ).values_list("component_id", "at")
    for component_id, at in events.order_by("at"):
        last[component_id] = at
    result = []
    for r in fits:
        assert r.fit is not None  # wear parts have a fit
        start = last.get(r.component.pk)
        if start is None and asset.install_date is not None:
            start = datetime.combine(asset.install_date, time.min, tzinfo=UTC)
        if start is None:
            continue
        age = age_at_threshold(r.fit, threshold)
        if age > MAX_AGE_DAYS:
            continue
        due = start + timedelta(days=age)
        result.append(Due(r.component, f"{start:%Y%m%d%H%M}", max(due, now).date()))
    return result
