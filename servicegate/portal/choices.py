"""Vocabularies of the customer portal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalPriority(models.TextChoices):
    """How urgent a problem is, in the customer's words; each maps to one ticket priority."""

    CRITICAL = "critical", _("Standstill: nothing works")
    HIGH = "high", _("Severely impaired")
    NORMAL = "normal", _("Impaired, work goes on")
    LOW = "low", _("Question or minor issue")


#: The ticket priority each portal priority opens a ticket with.
TICKET_PRIORITY = {
    PortalPriority.CRITICAL: "P1",
    PortalPriority.HIGH: "P2",
    PortalPriority.NORMAL: "P3",
    PortalPriority.LOW: "P4",
}


class Trend(models.TextChoices):
    """Whether this customer's attainment of a promise rose or fell last period."""

    UP = "up", _("improving")
    DOWN = "down", _("worsening")
    FLAT = "flat", _("steady")
    UNKNOWN = "unknown", _("not enough data yet")
