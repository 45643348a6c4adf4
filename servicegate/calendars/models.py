"""Business calendars: the opening hours against which promise clocks run."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessCalendar(models.Model):
    """A named business calendar.

    ``definition`` holds the calendar in the engine's dictionary form
    (``servicegate.engines.calendars.calendar_to_dict``): time zone, weekly intervals,
    holidays and special dates. Every change is kept as a :class:`CalendarRevision`.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Berlin")
    definition: models.JSONField[Any] = models.JSONField(_("definition"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name


class CalendarRevision(models.Model):
    """One saved state of a calendar: append-only history of who changed what, when."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="revisions"
    )
    definition: models.JSONField[Any] = models.JSONField(_("definition"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("calendar revision")
        verbose_name_plural = _("calendar revisions")

    def __str__(self) -> str:
        return f"{self.calendar} @ {self.changed_at:%Y-%m-%d %H:%M}"
