"""Vocabularies of the operations area: ticket kinds, channels, priorities, statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketKind(models.TextChoices):
    """What a ticket is: reactive (incident, request) or preventive work."""

    INCIDENT = "incident", _("incident")
    REQUEST = "request", _("service request")
    MAINTENANCE = "maintenance", _("maintenance")
    INSPECTION = "inspection", _("inspection")
    REMOTE_HEALTH_CHECK = "remote_health_check", _("remote health check")
    CONSULTING = "consulting", _("consulting")


#: Names the API accepts for ticket kinds besides the stored values.
KIND_ALIASES = {
    "preventive": TicketKind.MAINTENANCE,
    "remote_check": TicketKind.REMOTE_HEALTH_CHECK,
}
REACTIVE_KINDS = frozenset({TicketKind.INCIDENT, TicketKind.REQUEST})
PREVENTIVE_KINDS = frozenset(set(TicketKind) - REACTIVE_KINDS)


class Channel(models.TextChoices):
    """Where the work is done."""

    REMOTE = "remote", _("remote")
    ON_SITE = "on_site", _("on-site")


class Priority(models.TextChoices):
    """Servicegate's four priorities; the source system's value is kept beside it."""

    P1 = "P1", _("P1 – critical")
    P2 = "P2", _("P2 – high")
    P3 = "P3", _("P3 – moderate")
    P4 = "P4", _("P4 – low")


class TicketStatus(models.TextChoices):
    """Normalised ticket status; imports keep the source system's status beside it.

    The ``awaiting_*`` statuses are the candidates for pausing a promise clock,
    ``resolved`` and ``closed`` stop it; which ones do is the promise's business.
    """

    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    AWAITING_CUSTOMER = "awaiting_customer", _("awaiting customer")
    AWAITING_VENDOR = "awaiting_vendor", _("awaiting vendor")
    AWAITING_INTERNAL = "awaiting_internal", _("awaiting internal")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")
    OTHER = "other", _("other (source status not recognised)")


PAUSE_STATUSES = frozenset(
    {TicketStatus.AWAITING_CUSTOMER, TicketStatus.AWAITING_VENDOR, TicketStatus.AWAITING_INTERNAL}
)
STOP_STATUSES = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CANCELLED})
#: The statuses of an open ticket, as a positive list: the status index answers
#: ``status IN (...)`` from the open tickets' entries alone, where excluding the stop
#: statuses reads an entry for every ticket ever recorded.
OPEN_STATUSES = tuple(sorted(s for s in TicketStatus.values if s not in STOP_STATUSES))


class AssetStatus(models.TextChoices):
    """Life-cycle state of an installed asset."""

    ACTIVE = "active", _("in operation")
    OUT_OF_SERVICE = "out_of_service", _("out of service")
    DECOMMISSIONED = "decommissioned", _("decommissioned")


class ImportFormat(models.TextChoices):
    """The source formats `servicegate import` understands."""

    SERVICENOW = "servicenow", _("ServiceNow incident event log")
    EVENTS = "events", _("event log (CSV/XES) with a mapping")
    TICKETS = "tickets", _("one row per ticket (CSV) with a mapping")
