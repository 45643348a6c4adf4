"""The customer portal in the personal inbox: offers customers requested, for Sales."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import gettext as _

from servicegate.core.permissions import has_capability
from servicegate.inbox.items import InboxItem
from servicegate.portal import selectors


def offer_request_items(user: User | AnonymousUser) -> list[InboxItem]:
    """For Sales (``sell_preventive``): offers customers requested in the portal whose
    request ticket is still open (``SERVICEGATE_INBOX_SOURCES``; one query)."""
    if not has_capability(user, "sell_preventive"):
        return []
    return [
        InboxItem(
            kind="offer_request",
            label=_("offer requested"),
            title=_("%(customer)s requested the offer %(product)s (ticket %(number)s).")
            % {
                "customer": item.customer.name,
                "product": item.product_name,
                "number": item.ticket.number,
            },
            url=reverse("operations:ticket_detail", args=[item.ticket_id]),
            since=item.requested_at,
            ticket=item.ticket_id,
        )
        for item in selectors.offer_requests_open()[:50]
    ]
