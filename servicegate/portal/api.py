"""REST resources of the customer portal under /api/v1/portal/ (customer contacts only).

Every resource reads the caller's own customer; another customer's id answers 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StrictInt

from servicegate.api.pagination import Pagination
from servicegate.core.permissions import has_capability
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.portal import selectors, services
from servicegate.portal.errors import PortalRefused

router = Router(tags=["portal"])


def _customer(request: HttpRequest) -> Customer:
    if not selectors.is_portal_user(request.user):
        raise PermissionDenied("The customer portal is for customer contacts.")
    customer = selectors.customer_of(request.user)
    if customer is None:
        raise PermissionDenied(
            "Your account is not linked to a customer; ask your service contact."
        )
    return customer


def _refused(exc: PortalRefused) -> HttpError:
    return HttpError(exc.status, str(exc))


class AttainmentOut(Schema):
    n: int
    met: int
    rate: float | None


class PeriodOut(AttainmentOut):
    period: date | None


class PromiseOut(Schema):
    id: int
    statement: str
    level: float
    attainment: AttainmentOut
    trend: str
    periods: list[PeriodOut]


@router.get("/portal/promises", response=list[PromiseOut])
def portal_promises(request: HttpRequest) -> list[dict[str, Any]]:
    """The promises made to the caller's organisation, with its attainment and trend."""
    customer = _customer(request)
    out = []
    for row in selectors.promise_rows(customer):
        a = row.attainment
        out.append(
            {
                "id": row.promise.pk,
                "statement": row.statement,
                "level": float(row.promise.attainment_percent),
                "attainment": {"n": a.n, "met": a.met, "rate": a.rate},
                "trend": row.trend,
                "periods": [
                    {"period": p.period, "n": p.n, "met": p.met, "rate": p.rate}
                    for p in row.periods
                ],
            }
        )
    return out


class AssetOut(Schema):
    id: int
    site: str
    product_model: str
    serial_number: str
    status: str

    @staticmethod
    def resolve_site(obj: Asset) -> str:
        return obj.site.name


@router.get("/portal/assets", response=list[AssetOut])
@paginate(Pagination)
def portal_assets(request: HttpRequest) -> QuerySet[Asset]:
    """The caller's organisation's machines and systems."""
    return selectors.assets_of(_customer(request)).order_by("pk")


class TicketOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    priority: str
    status: str
    asset_id: int | None
    opened_at: datetime
    resolved_at: datetime | None
    feedback_given: bool


class ClockOut(Schema):
    statement: str
    state: str
    deadline: datetime | None
    seconds_left: int | None
    breached: bool


class CommentOut(Schema):
    author: str
    body: str
    created_at: datetime


class TicketDetailOut(TicketOut):
    clocks: list[ClockOut]
    comments: list[CommentOut]


@router.get("/portal/tickets", response=list[TicketOut])
@paginate(Pagination)
def portal_tickets(request: HttpRequest) -> QuerySet[Ticket]:
    """The caller's organisation's tickets, newest first."""
    return selectors.tickets_of(_customer(request))


def _detail(ticket: Ticket) -> dict[str, Any]:
    comments = ticket.portal_comments.select_related("author")
    return {
        **{f: getattr(ticket, f) for f in TicketOut.model_fields},
        "clocks": [c.__dict__ for c in selectors.clock_rows(ticket)],
        "comments": [
            {
                "author": c.author.get_username() if c.author else "",
                "body": c.body,
                "created_at": c.created_at,
            }
            for c in comments
        ],
    }


@router.get("/portal/tickets/{ticket_id}", response=TicketDetailOut)
def portal_ticket(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    """One ticket of the caller's organisation: status, clocks, comments, feedback given."""
    ticket = selectors.ticket_of(_customer(request), ticket_id)
    if ticket is None:
        raise HttpError(404, f"There is no ticket {ticket_id} of your organisation.")
    return _detail(ticket)


class TicketIn(Schema):
    title: str
    description: str = ""
    priority: str = "normal"
    asset: int | None = None


@router.post("/portal/tickets", response={201: TicketDetailOut})
def portal_ticket_raise(request: HttpRequest, payload: TicketIn) -> Status[Any]:
    """Raise a ticket (priority: critical, high, normal or low); it gets its clocks at once."""
    _customer(request)
    try:
        ticket = services.portal_ticket_raise(
            by=request.user,
            asset_id=payload.asset,
            title=payload.title,
            description=payload.description,
            priority=payload.priority,
        )
    except PortalRefused as exc:
        raise _refused(exc) from None
    found = selectors.ticket_of(_customer(request), ticket.pk)
    assert found is not None
    return Status(201, _detail(found))


class CommentIn(Schema):
    body: str


@router.post("/portal/tickets/{ticket_id}/comments", response={201: CommentOut})
def portal_comment(request: HttpRequest, ticket_id: int, payload: CommentIn) -> Status[Any]:
    """Add a comment to a ticket of the caller's organisation."""
    _customer(request)
    try:
        comment = services.comment_add(by=request.user, ticket_id=ticket_id, body=payload.body)
    except PortalRefused as exc:
        raise _refused(exc) from None
    author = request.user.get_username()
    return Status(201, {"author": author, "body": comment.body, "created_at": comment.created_at})


class FeedbackIn(Schema):
    score: StrictInt  # "5" or true are no scores
    comment: str = ""


class FeedbackOut(Schema):
    ticket_id: int
    score: int
    comment: str
    given_at: datetime
    finding_id: int | None


@router.post("/portal/tickets/{ticket_id}/feedback", response={201: FeedbackOut})
def portal_feedback(request: HttpRequest, ticket_id: int, payload: FeedbackIn) -> Status[Any]:
    """Score a resolved ticket from 1 (bad) to 5 (very good), once per ticket."""
    _customer(request)
    try:
        feedback = services.feedback_give(
            by=request.user, ticket_id=ticket_id, score=payload.score, comment=payload.comment
        )
    except PortalRefused as exc:
        raise _refused(exc) from None
    return Status(201, feedback)


class OfferRequestOut(Schema):
    id: int
    offer: str
    product_name: str
    ticket_id: int
    ticket_number: str
    requested_at: datetime


@router.post("/portal/offers/{offer_id}/request", response={201: OfferRequestOut})
def portal_offer_request(request: HttpRequest, offer_id: str) -> Status[Any]:
    """Request one of the caller's organisation's preventive offers (``<customer>-<product>``);
    a request ticket opens for Sales. Asking twice answers 409, another customer's offer 404."""
    _customer(request)
    try:
        made = services.offer_request(by=request.user, offer_id=offer_id)
    except PortalRefused as exc:
        raise _refused(exc) from None
    return Status(
        201,
        {
            "id": made.pk,
            "offer": made.offer,
            "product_name": made.product_name,
            "ticket_id": made.ticket_id,
            "ticket_number": made.ticket.number,
            "requested_at": made.requested_at,
        },
    )


class CsatOut(Schema):
    group: str
    n: int
    mean: float | None
    satisfied: float | None


@router.get("/csat", response=list[CsatOut], tags=["measurement"])
def csat(request: HttpRequest, group_by: str = "customer") -> list[Any]:
    """Staff: customer satisfaction from portal feedback per customer, product or promise
    (scores given, mean score, share of 4 and 5)."""
    if not has_capability(request.user, "view_servicegate"):
        raise PermissionDenied("Your role does not allow reading customer satisfaction.")
    if group_by not in selectors.CSAT_GROUPS:
        names = ", ".join(selectors.CSAT_GROUPS)
        raise HttpError(422, f"{group_by!r} is no grouping; use one of {names}.")
    return list(selectors.csat(group_by=group_by))
