"""Operations' dashboard panels: customers and open tickets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from servicegate.core.dashboard import Panel, figure_panel
from servicegate.operations.choices import OPEN_STATUSES
from servicegate.operations.models import Customer, Ticket


def customers() -> Panel:
    """The number of customers (one query)."""
    return figure_panel(Customer.objects.count(), _("customers"))


def open_tickets() -> Panel:
    """The number of tickets not resolved, closed or cancelled (one query)."""
    count = Ticket.objects.filter(status__in=OPEN_STATUSES).count()
    return figure_panel(count, _("open tickets"))
