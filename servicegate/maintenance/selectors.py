"""Reads of preventive services: plans, their work orders, and the reliability of the
installed base (component lives handed to ``engines.reliability``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from servicegate.catalog.models import ServiceProduct
from servicegate.engines.reliability import (
    ReliabilityDataError,
    ReplacementInterval,
    WeibullFit,
    optimal_replacement_interval,
    weibull_fit,
)
from servicegate.maintenance.choices import LifeEventKind
from servicegate.maintenance.models import (
    Component,
    LifeEvent,
    PlanWorkOrder,
    PreventivePlan,
    PreventiveTerms,
    Trigger,
)
from servicegate.operations.models import Asset, Customer


def plan_list() -> QuerySet[PreventivePlan]:
    """Plans with customer, product, assets, triggers and the count of work orders."""
    return (
        PreventivePlan.objects.select_related("customer", "product")
        .prefetch_related("assets", Prefetch("triggers", queryset=Trigger.objects.order_by("id")))
        .annotate(work_order_count=Count("work_orders", distinct=True))
        .order_by("-created_at", "-id")
    )


def plan_work_orders(plan: PreventivePlan) -> QuerySet[PlanWorkOrder]:
    """The plan's work orders by due date, with ticket and asset joined."""
    return plan.work_orders.select_related("ticket", "asset", "trigger").order_by(
        "due_on", "asset_id"
    )


# --- Reliability of the installed base ------------------------------------------------

#: Fewer failures than this and a fit is not shown: the data are too few to plan on.
MIN_FAILURES = 5
DAY = 86400.0


@dataclass(frozen=True)
class Lives:
    """The component lives of a fleet in days: ended by a failure, or censored."""

    failures: list[float] = field(default_factory=list)
    censored: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class ComponentReliability:
    """A component's fitted Weibull life (days), or why there is none."""

    component: Component
    failures: int
    censored: int
    fit: WeibullFit | None
    reason: str
    interval: ReplacementInterval | None

    @property
    def wear(self) -> bool:
        """Whether failures get likelier with age (β > 1), so replacing early pays."""
        return self.fit is not None and self.fit.beta > 1


def fleet_lives(
    components: Sequence[Component], *, until: datetime, assets: Sequence[int] | None = None
) -> dict[int, Lives]:
    """The lives of each component over all assets (or ``assets``), up to ``until``.

    A life starts at the asset's install date (or, without one, at the first event seen,
    since the age before it is unknown) or the previous event, and ends at a failure
    (a failure time), a preventive replacement or ``until`` (censored); an installed
    asset without events has one censored life. Two queries.
    """
    events = LifeEvent.objects.filter(component__in=components, at__lt=until)
    if assets is not None:
        events = events.filter(asset_id__in=assets)
    rows = events.order_by("component_id", "asset_id", "at").values_list(
        "component_id", "asset_id", "asset__install_date", "at", "kind"
    )
    lives: dict[int, Lives] = {c.pk: Lives() for c in components}
    key: tuple[int, int] | None = None
    start: datetime | None = None
    for component_id, asset_id, installed, at, kind in rows:
        if key != (component_id, asset_id):
            if key is not None and start is not None:
                lives[key[0]].censored.append((until - start).total_seconds() / DAY)
            key = (component_id, asset_id)
            start = datetime.combine(installed, time.min, tzinfo=UTC) if installed else None
        if start is not None and at > start:
            days = (at - start).total_seconds() / DAY
            target = lives[component_id]
            (target.failures if kind == LifeEventKind.FAILURE else target.censored).append(days)
        start = at
    if key is not None and start is not None and until > start:
        lives[key[0]].censored.append((until - start).total_seconds() / DAY)
    _add_unfailed(lives, components, until=until, assets=assets)
    return lives


def _add_unfailed(
    lives: dict[int, Lives],
    components: Sequence[Component],
    *,
    until: datetime,
    assets: Sequence[int] | None,
) -> None:
    """Assets installed before ``until`` whose component has no event yet: one censored
    life each, from installation to ``until`` (leaving them out would keep only the
    parts that failed and make lives look short). One query."""
    by_model: dict[str, list[Component]] = {}
    for component in components:
        by_model.setdefault(component.asset_model.name, []).append(component)
    with_events = set(
        LifeEvent.objects.filter(component__in=components, at__lt=until).values_list(
            "component_id", "asset_id"
        )
    )
    found = Asset.objects.filter(
        product_model__in=list(by_model), install_date__isnull=False, install_date__lt=until.date()
    )
    if assets is not None:
        found = found.filter(pk__in=assets)
    for asset_id, model, installed in found.values_list("pk", "product_model", "install_date"):
        if installed is None:  # excluded by the query; keeps the type checker informed
            continue
        start = datetime.combine(installed, time.min, tzinfo=UTC)
        for component in by_model[model]:
            if (component.pk, asset_id) not in with_events:
                lives[component.pk].censored.append((until - start).total_seconds() / DAY)


def component_reliability(
    components: Sequence[Component], *, until: datetime
) -> list[ComponentReliability]:
    """Each component's Weibull fit from its fleet's lives, with the cost-optimal interval
    of preventive replacement (none when β ≤ 1), or the reason there is no fit."""
    lives = fleet_lives(components, until=until)
    result = []
    for component in components:
        life = lives[component.pk]
        fit, interval, reason = None, None, ""
        if len(life.failures) < MIN_FAILURES:
            reason = _("Too few data: %(n)s failures recorded, %(min)s needed for a fit.") % {
                "n": len(life.failures),
                "min": MIN_FAILURES,
            }
        else:
            try:
                fit = weibull_fit(life.failures, life.censored or None)
                interval = optimal_replacement_interval(
                    alpha=fit.alpha,
                    beta=fit.beta,
                    cost_preventive=float(component.cost_preventive),
                    cost_failure=float(component.cost_failure),
                )
            except ReliabilityDataError as error:
                reason = str(error)
            if interval is not None and interval.interval is None:
                reason = interval.reason or ""
        result.append(
            ComponentReliability(
                component=component,
                failures=len(life.failures),
                censored=len(life.censored),
                fit=fit,
                reason=reason,
                interval=interval,
            )
        )
    return result


def reliability_overview(*, until: datetime) -> list[ComponentReliability]:
    """Every component of every asset model with its fit (the reliability page)."""
    components = list(
        Component.objects.select_related("asset_model").order_by("asset_model__name", "name")
    )
    return component_reliability(components, until=until)


def customers_with_fitting_products() -> list[Customer]:
    """Customers running an asset model that an active preventive product covers."""
    models = PreventiveTerms.objects.filter(product__is_active=True).values("asset_model__name")
    return list(
        Customer.objects.filter(sites__assets__product_model__in=models).distinct().order_by("name")
    )


def product_of(product_id: int) -> ServiceProduct:
    """The service product with its preventive terms (for the proposal)."""
    return ServiceProduct.objects.select_related("preventive_terms__asset_model").get(pk=product_id)
