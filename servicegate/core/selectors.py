"""Reads for the dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicegate.catalog.models import Segment
from servicegate.operations.models import Customer, Ticket
from servicegate.promises.models import Promise as ServicePromise
from servicegate.team.models import Technician


@dataclass(frozen=True)
class Figure:
    """One key figure on the dashboard."""

    value: int
    label: str | Promise


def dashboard_figures() -> list[Figure]:
    """Count the main objects of the organisation, one query per figure."""
    return [
        Figure(Segment.objects.count(), _("customer segments")),
        Figure(Customer.objects.count(), _("customers")),
        Figure(Technician.objects.count(), _("technicians")),
        Figure(
            ServicePromise.objects.filter(
                state__in=["committed", "in_service", "under_review"]
            ).count(),
            _("promises kept in service"),
        ),
        Figure(
            Ticket.objects.exclude(status__in=["resolved", "closed", "cancelled"]).count(),
            _("open tickets"),
        ),
    ]
