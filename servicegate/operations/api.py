"""REST resources of the operations area under /api/v1/."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from servicegate.api.pagination import Pagination
from servicegate.core.permissions import has_capability
from servicegate.operations import selectors
from servicegate.operations.models import Asset, Customer, Ticket

router = Router(tags=["operations"])


def _require_read(request: HttpRequest) -> None:
    if not has_capability(request.user, "view_servicegate"):
        raise PermissionDenied("Your role does not allow reading operations data.")


class TicketFilters(Schema):
    number: str = ""  # a ticket number or its beginning
    kind: str = ""
    status: str = ""
    priority: str = ""
    channel: str = ""
    customer: str = ""
    source: str = ""


class TicketOut(Schema):
    id: int
    source: str
    external_id: str
    number: str
    kind: str
    channel: str
    priority: str
    source_priority: str
    category: str
    customer_id: int | None
    asset_id: int | None
    assignment_group: str
    technician_id: int | None
    opened_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    status: str
    source_status: str
    reassignment_count: int
    reopen_count: int
    source_made_sla: bool | None
    due_at: datetime | None = None


class EventOut(Schema):
    seq: int
    at: datetime
    status: str
    source_status: str
    priority: str
    assignment_group: str
    technician_id: int | None
    resource: str


class TicketDetailOut(TicketOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Ticket) -> list[Any]:
        return list(obj.events.all())


class CustomerOut(Schema):
    id: int
    number: str
    name: str
    segment_id: int
    is_active: bool


class AssetOut(Schema):
    id: int
    site_id: int
    customer_id: int
    product_model: str
    serial_number: str
    install_date: date | None
    status: str
    contract_ref: str | None

    @staticmethod
    def resolve_customer_id(obj: Asset) -> int:
        return obj.site.customer_id


@router.get("/tickets/", response=list[TicketOut])
@paginate(Pagination)
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]) -> QuerySet[Ticket]:
    """Tickets the caller may see, newest first; filter by kind, status, priority, ..."""
    _require_read(request)
    return selectors.ticket_list(request.user, filters.dict())


@router.get("/tickets/{ticket_id}", response=TicketDetailOut)
def get_ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    """One ticket with its events in clock order."""
    _require_read(request)
    ticket = selectors.ticket_detail(request.user, ticket_id)
    if ticket is None:
        raise HttpError(404, "There is no such ticket, or it is not assigned to you.")
    return ticket


@router.get("/customers/", response=list[CustomerOut])
@paginate(Pagination)
def list_customers(request: HttpRequest) -> QuerySet[Customer]:
    """Customers of the installed base."""
    _require_read(request)
    return Customer.objects.order_by("name", "id")


@router.get("/assets/", response=list[AssetOut])
@paginate(Pagination)
def list_assets(request: HttpRequest, site: int | None = None) -> QuerySet[Asset]:
    """Assets, optionally of one site."""
    _require_read(request)
    assets = selectors.asset_list()
    return assets.filter(site_id=site) if site else assets
