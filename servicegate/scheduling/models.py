"""Models of scheduling: where technicians start, when they are away, and saved day plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.operations.models import Ticket
from servicegate.scheduling.choices import UnassignedReason
from servicegate.team.models import Technician


class TechnicianBase(models.Model):
    """A technician's home base as coordinates: where the working day starts and ends."""

    technician = models.OneToOneField(
        Technician,
        on_delete=models.CASCADE,
        related_name="base",
        verbose_name=_("technician"),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("home base")
        verbose_name_plural = _("home bases")

    def __str__(self) -> str:
        return f"{self.technician} ({self.latitude:.3f}, {self.longitude:.3f})"


class Absence(models.Model):
    """A stretch of time a technician does not work (holiday, sickness, training)."""

    class Reason(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        SICKNESS = "sickness", _("sickness")
        TRAINING = "training", _("training")
        OTHER = "other", _("other")

    technician = models.ForeignKey(
        Technician,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("technician"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="absence_span_idx")]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")

    def __str__(self) -> str:
        return f"{self.technician} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class DayPlan(models.Model):
    """A saved plan of one day: routes of visits and the tickets that could not be placed.

    The newest plan of a date is the one in force; older ones stay as history.
    """

    date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    distance_km = models.FloatField(_("distance (km)"), default=0.0)

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]
        indexes = [models.Index(fields=["date", "-created_at"], name="dayplan_date_idx")]
        verbose_name = _("day plan")
        verbose_name_plural = _("day plans")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} #{self.pk}"


class Visit(models.Model):
    """One planned visit: a technician works on a ticket from ``start`` to ``end``.

    ``travel_minutes`` is the drive to the visit from the previous stop (or the home
    base); ``fixed`` visits were already under way and are kept when the plan changes.
    """

    plan = models.ForeignKey(
        DayPlan, on_delete=models.CASCADE, related_name="visits", verbose_name=_("day plan")
    )
    technician = models.ForeignKey(
        Technician, on_delete=models.CASCADE, related_name="visits", verbose_name=_("technician")
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="visits", verbose_name=_("ticket")
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    travel_minutes = models.FloatField(_("travel (minutes)"), default=0.0)
    fixed = models.BooleanField(_("fixed"), default=False)

    class Meta:
        ordering = ["plan", "technician", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ticket"], name="unique_visit_per_plan")
        ]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.ticket_id} · {self.technician_id} · {self.start:%H:%M}"


class UnassignedTicket(models.Model):
    """A ticket a day plan could not place, with the reason code."""

    plan = models.ForeignKey(
        DayPlan, on_delete=models.CASCADE, related_name="unassigned", verbose_name=_("day plan")
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("ticket")
    )
    reason = models.CharField(_("reason"), max_length=32, choices=UnassignedReason.choices)

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("unassigned ticket")
        verbose_name_plural = _("unassigned tickets")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.reason}"
