"""Reads of the service catalogue: filtered product lists and the 4P portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from servicegate.catalog.models import Segment, ServiceProduct


@dataclass(frozen=True)
class ProductFilter:
    """The filters of the product list; empty values do not filter."""

    segment: int | None = None
    owner: int | None = None
    kind: str = ""
    channel: str = ""
    active_only: bool = True


def product_list(flt: ProductFilter | None = None) -> QuerySet[ServiceProduct]:
    """Products matching ``flt`` with segment and owner loaded and promise counts."""
    flt = flt or ProductFilter()
    qs = ServiceProduct.objects.select_related("segment", "owner").annotate(
        promise_count=Count("promises", filter=~Q(promises__state="retired"))
    )
    if flt.active_only:
        qs = qs.filter(is_active=True)
    if flt.segment:
        qs = qs.filter(segment_id=flt.segment)
    if flt.owner:
        qs = qs.filter(owner_id=flt.owner)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.channel:
        qs = qs.filter(channel=flt.channel)
    return qs.order_by("segment__name", "name")


@dataclass(frozen=True)
class PortfolioRow:
    """One segment of the portfolio with its active products."""

    segment: Segment
    products: list[ServiceProduct]


def portfolio() -> list[PortfolioRow]:
    """Every active segment with its active products (two queries)."""
    products = list(
        ServiceProduct.objects.filter(is_active=True)
        .select_related("owner", "segment")
        .order_by("kind", "name")
    )
    by_segment: dict[int, list[ServiceProduct]] = {}
    for product in products:
        by_segment.setdefault(product.segment_id, []).append(product)
    return [
        PortfolioRow(segment=s, products=by_segment.get(s.pk, []))
        for s in Segment.objects.filter(is_active=True)
    ]


def product_promises(product: ServiceProduct) -> QuerySet[Any]:
    """The promises made for ``product``, last changed first, with what a row shows.

    Read through the reverse relation, so the catalogue needs no import of promises
    (which depends on the catalogue).
    """
    return product.promises.select_related(
        "product", "segment", "calendar", "made_by", "customer", "contract"
    ).order_by("-updated_at", "-pk")
