"""REST resources of the catalog area under /api/v1/: products and segments."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from servicegate.api.pagination import Pagination
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.catalog.selectors import ProductFilter, product_list
from servicegate.core.permissions import require_capability

router = Router(tags=["catalog"])


class SegmentOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool


class ProductOut(Schema):
    id: int
    name: str
    segment: int
    owner: str
    kind: str
    scope: str
    price_model: str
    price_amount: Decimal
    currency: str
    channel: str
    regions: list[str]
    value_proposition: str
    target_message: str
    is_active: bool

    @staticmethod
    def resolve_segment(obj: ServiceProduct) -> int:
        return obj.segment_id

    @staticmethod
    def resolve_owner(obj: ServiceProduct) -> str:
        return obj.owner.get_username()


@router.get("/segments/", response=list[SegmentOut])
@paginate(Pagination)
def segments(request: HttpRequest) -> QuerySet[Segment]:
    """Customer segments (markets)."""
    require_capability(request.user, "view_servicegate")
    return Segment.objects.all()


@router.get("/products/", response=list[ProductOut])
@paginate(Pagination)
def products(
    request: HttpRequest,
    segment: int | None = None,
    owner: int | None = None,
    kind: str = "",
    channel: str = "",
) -> QuerySet[ServiceProduct]:
    """Active service products; filter with ?segment=, ?owner=, ?kind=, ?channel=."""
    require_capability(request.user, "view_servicegate")
    return product_list(ProductFilter(segment=segment, owner=owner, kind=kind, channel=channel))
