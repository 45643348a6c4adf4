"""Tickets and work orders with their append-only event history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.operations.choices import Channel, Priority, TicketKind, TicketStatus
from servicegate.operations.models.installed_base import Asset, Customer
from servicegate.team.models import Skill, Technician

#: ``source`` of tickets created in Servicegate itself (and by the demo).
NATIVE_SOURCE = "servicegate"


class Ticket(models.Model):
    """A reactive ticket or preventive work order.

    ``(source, external_id)`` identifies a ticket across imports, so importing the same
    file again updates rather than duplicates. The instants (opened … closed) and the
    status are derived from the events; the events stay the source of truth.
    """

    source = models.CharField(_("source"), max_length=32, default=NATIVE_SOURCE)
    external_id = models.CharField(_("external id"), max_length=64)
    number = models.CharField(_("number"), max_length=64)
    # The database default serves the bulk writers (importers, demo), which name no title.
    title = models.CharField(_("title"), max_length=200, blank=True, default="", db_default="")
    kind = models.CharField(
        _("kind"), max_length=24, choices=TicketKind.choices, default=TicketKind.INCIDENT
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.REMOTE
    )
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, blank=True)
    source_priority = models.CharField(_("source priority"), max_length=64, blank=True)
    category = models.CharField(_("category"), max_length=200, blank=True)
    # Indexed by ticket_customer_idx (customer, -opened_at), as technician below.
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("customer"),
    )
    asset = models.ForeignKey(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("asset"),
    )
    assignment_group = models.CharField(_("assignment group"), max_length=200, blank=True)
    technician = models.ForeignKey(
        Technician,
        on_delete=models.SET_NULL,
        db_index=False,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("technician"),
    )
    opened_at = models.DateTimeField(_("opened"))
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    source_status = models.CharField(_("source status"), max_length=100, blank=True)
    reassignment_count = models.PositiveIntegerField(_("reassignments"), default=0)
    reopen_count = models.PositiveIntegerField(_("reopenings"), default=0)
    source_made_sla = models.BooleanField(_("SLA met (source)"), null=True, blank=True)
    due_at = models.DateTimeField(
        _("due (source)"),
        null=True,
        blank=True,
        help_text=_("The ticket's own deadline as the source system set it (a due-date column)."),
    )
    # Work-order terms: when a visit may take place, how long the work takes and which
    # skills it needs. Preventive work orders and on-site tickets carry them; the
    # scheduler plans visits inside the window with a technician holding the skills.
    window_start = models.DateTimeField(_("window from"), null=True, blank=True)
    window_end = models.DateTimeField(_("window until"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("planned duration (minutes)"), null=True, blank=True
    )
    required_skills = models.ManyToManyField(
        Skill, blank=True, related_name="required_by_tickets", verbose_name=_("required skills")
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="unique_ticket_source_external_id"
            )
        ]
        indexes = [
            models.Index(fields=["-opened_at", "-id"], name="ticket_opened_idx"),
            models.Index(fields=["number"], name="ticket_number_idx"),
            models.Index(fields=["status", "-opened_at"], name="ticket_status_idx"),
            models.Index(fields=["technician", "-opened_at"], name="ticket_technician_idx"),
            models.Index(fields=["customer", "-opened_at"], name="ticket_customer_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        """Whether the ticket is neither resolved, closed nor cancelled."""
        return self.status not in {
            TicketStatus.RESOLVED,
            TicketStatus.CLOSED,
            TicketStatus.CANCELLED,
        }


class TicketEvent(models.Model):
    """One change of a ticket's status or assignment; append-only.

    Clocks are computed from these rows: one query ordered by ``(ticket_id, at, seq)``
    yields every ticket's ``(at, status, priority)`` sequence, served by the index of
    the same name. Services only ever insert; a database trigger refuses updates.
    """

    # Indexed by the (ticket, seq) constraint and ticket_event_clock_idx; fewer indexes
    # keep bulk imports fast.
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="events",
        verbose_name=_("ticket"),
    )
    seq = models.PositiveIntegerField(_("sequence number"))
    at = models.DateTimeField(_("at"))
    status = models.CharField(_("status"), max_length=24, choices=TicketStatus.choices)
    source_status = models.CharField(_("source status"), max_length=100, blank=True)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, blank=True)
    assignment_group = models.CharField(_("assignment group"), max_length=200, blank=True)
    technician = models.ForeignKey(
        Technician,
        on_delete=models.SET_NULL,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("technician"),
    )
    resource = models.CharField(_("resource"), max_length=200, blank=True)

    class Meta:
        ordering = ["ticket_id", "at", "seq"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "seq"], name="unique_ticket_event_seq")
        ]
        indexes = [models.Index(fields=["ticket", "at", "seq"], name="ticket_event_clock_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} #{self.seq} {self.status} @ {self.at:%Y-%m-%d %H:%M}"


class TicketChange(models.Model):
    """One write to a ticket made in Servicegate: who, when, what changed, with a note.

    The audit trail of working tickets (creation, assignment, priority, status with a
    note, feed batches). Imports keep their own record (``ImportRun``).
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("changed")
        EVENT = "event", _("status changed")
        FED = "fed", _("fed")

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="changes", verbose_name=_("ticket")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    changes: models.JSONField[Any] = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["ticket_id", "at", "id"]
        verbose_name = _("ticket change")
        verbose_name_plural = _("ticket changes")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} @ {self.at:%Y-%m-%d %H:%M}"
