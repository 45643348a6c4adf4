"""REST resources of the operations area under /api/v1/."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Body, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from servicegate.api.fields import JsonObject
from servicegate.api.pagination import Pagination
from servicegate.core.permissions import has_capability
from servicegate.operations import selectors, ticket_services
from servicegate.operations.errors import TicketRefused
from servicegate.operations.feed import FeedItem, feed_apply
from servicegate.operations.models import Asset, Customer, Ticket, TicketEvent

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
    plan: str = ""  # the work orders of a preventive plan


class TicketOut(Schema):
    id: int
    source: str
    external_id: str
    number: str
    title: str
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


class TicketIn(Schema):
    title: str
    customer: int | None = None
    asset: int | None = None
    priority: str
    kind: str = "incident"
    channel: str = "remote"
    opened_at: datetime | None = None
    source: str = ""
    external_id: str = ""
    technician: int | None = None
    group: str = ""


class TicketPatch(JsonObject):
    technician: int | None = None
    group: str | None = None
    priority: str | None = None
    note: str = ""


class EventIn(Schema):
    status: str
    at: datetime | None = None
    note: str = ""


def _ticket_for_write(request: HttpRequest, ticket_id: int) -> Ticket:
    """The ticket, if the caller may see it (404 otherwise, as for reading it)."""
    ticket = selectors.tickets_visible_to(request.user).filter(pk=ticket_id).first()
    if ticket is None:
        raise TicketRefused("There is no such ticket, or it is not assigned to you.", status=404)
    return ticket


@router.post("/tickets/", response={201: TicketOut})
def create_ticket(request: HttpRequest, data: TicketIn) -> Status[Ticket]:
    """Open a ticket (dispatchers, service managers); its clocks start at once."""
    ticket = ticket_services.ticket_create(
        by=request.user,
        title=data.title,
        customer_id=data.customer,
        asset_id=data.asset,
        priority=data.priority,
        kind=data.kind,
        channel=data.channel,
        opened_at=data.opened_at,
        source=data.source,
        external_id=data.external_id,
        technician_id=data.technician,
        assignment_group=data.group,
    )
    return Status(201, ticket)


@router.patch("/tickets/{ticket_id}", response=TicketOut)
def update_ticket(request: HttpRequest, ticket_id: int, data: TicketPatch) -> Ticket:
    """Change the assignee (``technician``), ``group`` or ``priority``; fields left out stay."""
    ticket = _ticket_for_write(request, ticket_id)
    given = data.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    if "technician" in given:
        changes["technician_id"] = data.technician
    if data.group is not None:
        changes["assignment_group"] = data.group
    if data.priority is not None:
        changes["priority"] = data.priority
    return ticket_services.ticket_update(ticket=ticket, by=request.user, note=data.note, **changes)


@router.post("/tickets/{ticket_id}/events", response={201: EventOut})
def append_event(request: HttpRequest, ticket_id: int, data: EventIn) -> Status[TicketEvent]:
    """Record a status (``at`` defaults to now) with an optional note; clocks follow."""
    ticket = _ticket_for_write(request, ticket_id)
    event = ticket_services.ticket_event_append(
        ticket=ticket, by=request.user, status=data.status, at=data.at, note=data.note
    )
    return Status(201, event)


class FeedOut(Schema):
    tickets_created: int
    tickets_updated: int
    events_created: int
    events_skipped: int


@router.post("/feed/events", response=FeedOut)
def feed_events(
    request: HttpRequest, events: Body[list[FeedItem]], mapping: str = ""
) -> dict[str, int]:
    """Store a batch of status changes from another ticket tool (idempotent; see
    docs/operations.md). ``mapping``: a shipped mapping translating statuses."""
    result = feed_apply(items=events, by=request.user, mapping=mapping)
    return vars(result)


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
