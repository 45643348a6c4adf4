"""Demo step: the customer contact ``customer`` of one demo customer, with feedback.

Runs after the tickets and clocks exist. The demo customer is the one with the most
resolved tickets; ``customer`` (password ``demo``) scores some of them — one low score
raises a KVP finding from customer feedback — and raises one new ticket in the portal.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Q

from servicegate.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext
from servicegate.operations.choices import TicketStatus
from servicegate.operations.models import Customer, Ticket
from servicegate.portal import selectors
from servicegate.portal.services import contact_link, feedback_give, portal_ticket_raise

FEEDBACK_TICKETS = 12
# Fixed scores rather than draws from ctx.rng: the steps after this one keep their draws.
SCORES = (1, 5, 4, 5, 4, 3, 5, 4, 5, 4, 3, 5)
COMMENTS = {
    1: "Three visits until the machine ran again; nobody told us when the part would come.",
    2: "Solved, but far too late for us.",
    3: "Acceptable.",
    4: "Good work, thank you.",
    5: "Very fast and friendly, thank you!",
}


def build(ctx: DemoContext) -> None:
    """Create the ``customer`` login, its feedback and one ticket raised in the portal."""
    manager: User = ctx.objects["users"]["manager"]
    resolved = Q(tickets__status__in=[TicketStatus.RESOLVED, TicketStatus.CLOSED])
    customer = (
        Customer.objects.annotate(n=Count("tickets", filter=resolved)).order_by("-n", "pk").first()
    )
    if customer is None:
        ctx.report("demo: no customer for the portal")
        return
    user = User.objects.create_user(
        username="customer",
        password=DEMO_PASSWORD,
        first_name="Claudia",
        last_name="Kunz",
        email=f"customer@{DEMO_EMAIL_DOMAIN}",
    )
    contact_link(by=manager, user=user, customer=customer)
    tickets = list(
        selectors.tickets_of(customer)
        .filter(status__in=[TicketStatus.RESOLVED, TicketStatus.CLOSED])
        .order_by("-resolved_at", "-pk")[:FEEDBACK_TICKETS]
    )
    low = 0
    for ticket, score in zip(tickets, SCORES, strict=False):
        feedback = feedback_give(by=user, ticket_id=ticket.pk, score=score, comment=COMMENTS[score])
        low += feedback.finding_id is not None
    asset = selectors.assets_of(customer).order_by("pk").first()
    raised: Ticket = portal_ticket_raise(
        by=user,
        asset_id=asset.pk if asset is not None else None,
        title="Hydraulic pressure drops during the night shift",
        description="Pressure falls from 180 to 140 bar after about two hours of operation.",
        priority="high",
    )
    ctx.objects["portal_customer"] = customer
    ctx.report(
        f"demo: portal user 'customer' for {customer.name}: {len(tickets)} feedback"
        f" ({low} low score raised a finding), ticket {raised.number} raised"
    )
