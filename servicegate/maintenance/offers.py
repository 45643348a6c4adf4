"""What Sales can sell plannably: the preventive offers that fit a customer's installed base.

For each active preventive product whose asset model the customer runs, over one year
(365 days) and per covered component ``c`` with a Weibull life (α, β in days):

* without the service the component runs to failure and is renewed each time, so an
  asset sees ``365 / MTTF_c`` incidents a year (the renewal rate);
* with the service it is replaced at every visit, every ``T`` days (age replacement),
  so an asset sees ``365 · F_c(T) / ∫₀ᵀ R_c(t) dt`` incidents a year (Barlow & Proschan);
  with β ≤ 1 replacing early avoids nothing and both rates are equal;
* ``T`` is the cost-optimal replacement age of the covered wear parts (the smallest,
  whole days), or the product's default interval when none has one;
* ``incidents_avoided = without − with``, ``downtime_hours_avoided`` weighs each
  component's avoided incidents by its downtime per failure;
* ``technician_hours_per_year = assets · 365/T · duration``; the price follows the
  product's price model; the margin is the price less technician hours at the hourly
  cost and the wear parts replaced at each visit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.catalog.choices import PriceModel
from servicegate.catalog.models import ServiceProduct
from servicegate.engines.reliability import age_replacement_cost_rate
from servicegate.maintenance.models import Component, PreventiveTerms
from servicegate.maintenance.selectors import ComponentReliability, component_reliability
from servicegate.operations.models import Asset, Customer

YEAR_DAYS = 365.0
#: Visits closer than a week or rarer than a year are not offered.
MIN_INTERVAL, MAX_INTERVAL = 7, 365


@dataclass(frozen=True)
class Offer:
    """One preventive product offered to one customer, with its yearly figures."""

    id: str
    product: int
    product_name: str
    customer: int
    assets: list[int]
    interval_days: int
    expected_incidents_without: float
    expected_incidents_with: float
    incidents_avoided: float
    downtime_hours_avoided: float
    technician_hours_per_year: float
    price: float
    margin: float
    currency: str
    notes: list[str]

    @property
    def technician_hours_per_week(self) -> float:
        """The yearly hours spread evenly over 52 weeks: what the capacity plan adds."""
        return round(self.technician_hours_per_year / 52, 1)

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON (kept on the plan when the offer is accepted)."""
        return asdict(self)


def offer_id(customer: Customer, product: ServiceProduct) -> str:
    """An offer is a product for a customer: ``"<customer>-<product>"``."""
    return f"{customer.pk}-{product.pk}"


def customer_offers(customer: Customer, *, now: datetime) -> list[Offer]:
    """The offers that fit ``customer``'s installed base, most incidents avoided first."""
    assets = list(Asset.objects.filter(site__customer=customer).values_list("pk", "product_model"))
    models = {model for _pk, model in assets}
    terms_list = list(
        PreventiveTerms.objects.filter(product__is_active=True, asset_model__name__in=models)
        .select_related("product", "asset_model")
        .prefetch_related(
            Prefetch("components", queryset=Component.objects.select_related("asset_model"))
        )
        .order_by("product__name")
    )
    wanted: dict[int, Component] = {}
    for terms in terms_list:
        for component in _covered(terms):
            wanted[component.pk] = component
    fits = {r.component.pk: r for r in component_reliability(list(wanted.values()), until=now)}
    offers = []
    for terms in terms_list:
        mine = [pk for pk, model in assets if model == terms.asset_model.name]
        covered = [fits[c.pk] for c in _covered(terms)]
        offers.append(_offer(customer, terms, mine, covered))
    return sorted(offers, key=lambda o: (-o.incidents_avoided, -o.margin, o.product_name))


def _covered(terms: PreventiveTerms) -> list[Component]:
    chosen = list(terms.components.all())
    if chosen:
        return chosen
    return list(terms.asset_model.components.select_related("asset_model"))


def _interval(terms: PreventiveTerms, covered: list[ComponentReliability]) -> int:
    optimal = [
        r.interval.interval
        for r in covered
        if r.interval is not None and r.interval.interval is not None
    ]
    if not optimal:
        return terms.interval_days
    return int(min(MAX_INTERVAL, max(MIN_INTERVAL, round(min(optimal)))))


def _offer(
    customer: Customer,
    terms: PreventiveTerms,
    assets: list[int],
    covered: list[ComponentReliability],
) -> Offer:
    n = len(assets)
    interval = _interval(terms, covered)
    without = with_ = downtime = parts = 0.0
    notes = []
    for r in covered:
        if r.fit is None:
            notes.append(f"{r.component.name}: {r.reason}")
            continue
        rate_without = YEAR_DAYS / r.fit.mean_life
        rate_with = rate_without
        if r.wear:
            rate_with = YEAR_DAYS * float(
                age_replacement_cost_rate(
                    interval,
                    alpha=r.fit.alpha,
                    beta=r.fit.beta,
                    cost_preventive=0.0,
                    cost_failure=1.0,
                )
            )
            parts += float(r.component.cost_preventive)
        else:
            notes.append(
                _(
                    "%(name)s fails at random (β = %(beta).2f ≤ 1):"
                    " visits do not avoid its failures."
                )
                % {"name": r.component.name, "beta": r.fit.beta}
            )
        without += n * rate_without
        with_ += n * rate_with
        downtime += n * (rate_without - rate_with) * r.component.downtime_hours
    visits = n * YEAR_DAYS / interval
    hours = technician_hours_per_year(terms, assets=n, interval=interval)
    price = _price(terms.product, assets=n, visits=visits, hours=hours)
    cost = Decimal(str(hours)) * terms.hourly_cost + Decimal(str(visits * parts))
    without_r, with_r = round(without, 2), round(with_, 2)
    return Offer(
        id=offer_id(customer, terms.product),
        product=terms.product.pk,
        product_name=terms.product.name,
        customer=customer.pk,
        assets=assets,
        interval_days=interval,
        expected_incidents_without=without_r,
        expected_incidents_with=with_r,
        incidents_avoided=round(without_r - with_r, 2),
        downtime_hours_avoided=round(downtime, 1),
        technician_hours_per_year=round(hours, 1),
        price=float(round(price, 2)),
        margin=float(round(price - cost, 2)),
        currency=terms.product.currency,
        notes=notes,
    )


def technician_hours_per_year(terms: PreventiveTerms, *, assets: int, interval: int) -> float:
    """``assets · 365/T · duration``: the technician hours of a year of visits."""
    return assets * YEAR_DAYS / interval * terms.duration_minutes / 60


def _price(product: ServiceProduct, *, assets: int, visits: float, hours: float) -> Decimal:
    """What the customer pays a year: a subscription is per asset and month, per hour is
    per technician hour, a fixed price (or per incident) is per visit."""
    amount = product.price_amount
    if product.price_model == PriceModel.SUBSCRIPTION:
        return amount * 12 * assets
    if product.price_model == PriceModel.PER_HOUR:
        return amount * Decimal(str(round(hours, 2)))
    return amount * Decimal(str(round(visits, 2)))


@dataclass(frozen=True)
class CustomerOffer:
    """An offer as the customer reads it in the portal: no margin, one sentence."""

    offer: Offer

    def __str__(self) -> str:
        o = self.offer
        return _(
            "%(product)s: a visit every %(days)s days for %(assets)s machines avoids about"
            " %(avoided)s incidents and %(hours)s hours of downtime a year, for"
            " %(price)s %(currency)s a year."
        ) % {
            "product": o.product_name,
            "days": o.interval_days,
            "assets": len(o.assets),
            "avoided": f"{o.incidents_avoided:.1f}",
            "hours": f"{o.downtime_hours_avoided:.0f}",
            "price": f"{o.price:,.2f}",
            "currency": o.currency,
        }


def offers_for_customer(customer: Customer) -> list[CustomerOffer]:
    """The offers that avoid incidents, for the customer portal
    (``SERVICEGATE_PORTAL_OFFERS``)."""
    offers = customer_offers(customer, now=timezone.now())
    return [CustomerOffer(o) for o in offers if o.incidents_avoided > 0]


@dataclass(frozen=True)
class PreventiveLoad:
    """The technician hours a preventive product adds for some customers' installed base,
    counted as their offers count them (same interval, duration and formula)."""

    product: int
    asset_model: str
    customers: int
    assets: int
    interval_days: int
    duration_minutes: int
    technician_hours_per_year: float

    @property
    def technician_hours_per_week(self) -> float:
        """The yearly hours spread evenly over 52 weeks: what the capacity plan adds."""
        return round(self.technician_hours_per_year / 52, 1)


def preventive_load(
    product_id: int, customer_ids: Sequence[int], *, now: datetime | None = None
) -> PreventiveLoad | None:
    """The hours ``product_id``'s visits take at the assets of ``customer_ids`` whose model
    its preventive terms cover; None when the product has no preventive terms.

    The sum of the customers' offers of the product (``SERVICEGATE_PREVENTIVE_LOAD``,
    read by the G1 evidence of a promise without planning importing this area).
    """
    terms = (
        PreventiveTerms.objects.filter(product_id=product_id)
        .select_related("product", "asset_model")
        .prefetch_related(
            Prefetch("components", queryset=Component.objects.select_related("asset_model"))
        )
        .first()
    )
    if terms is None:
        return None
    covered = _covered(terms)
    fits = component_reliability(covered, until=now or timezone.now())
    interval = _interval(terms, fits)
    assets = list(
        Asset.objects.filter(
            product_model=terms.asset_model.name, site__customer_id__in=list(customer_ids)
        ).values_list("site__customer_id", flat=True)
    )
    return PreventiveLoad(
        product=product_id,
        asset_model=terms.asset_model.name,
        customers=len(set(assets)),
        assets=len(assets),
        interval_days=interval,
        duration_minutes=terms.duration_minutes,
        technician_hours_per_year=round(
            technician_hours_per_year(terms, assets=len(assets), interval=interval), 1
        ),
    )
