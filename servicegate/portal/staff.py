"""What staff see of the portal on a ticket: the customer's comments, files and score.

``ticket_section`` is listed in ``SERVICEGATE_TICKET_SECTIONS``; the operations ticket
page renders it without importing the portal.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from servicegate.core.dashboard import Panel
from servicegate.operations.models import Ticket
from servicegate.operations.ticket_services import may_work
from servicegate.portal.forms import CommentForm
from servicegate.portal.models import Feedback, TicketAttachment, TicketComment


def _has_portal_content(ticket_id: int) -> bool:
    """Whether the customer commented, attached or scored the ticket (one query)."""
    return (
        TicketComment.objects.filter(ticket_id=ticket_id)
        .values("pk")
        .union(
            TicketAttachment.objects.filter(ticket_id=ticket_id).values("pk"),
            Feedback.objects.filter(ticket_id=ticket_id).values("pk"),
        )
        .exists()
    )


def ticket_section(ticket: Ticket, user: User | AnonymousUser) -> Panel | None:
    """The customer dialogue of ``ticket`` (None if the customer wrote nothing), with a
    reply form for those who may work the ticket."""
    if not _has_portal_content(ticket.pk):
        return None
    comments = list(ticket.portal_comments.select_related("author"))
    attachments = list(ticket.portal_attachments.all())
    feedback = Feedback.objects.filter(ticket=ticket).first()
    context = {
        "ticket": ticket,
        "comments": comments,
        "attachments": attachments,
        "feedback": feedback,
        "reply_form": CommentForm() if may_work(user, ticket) else None,
    }
    return Panel("portal/staff_ticket_section.html", context)
