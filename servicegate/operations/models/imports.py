"""A record of every import run, for the operations overview and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.operations.choices import ImportFormat


class ImportRun(models.Model):
    """One successful import of one file: what was read and what it changed."""

    format = models.CharField(_("format"), max_length=16, choices=ImportFormat.choices)
    source = models.CharField(_("source"), max_length=32)
    file_name = models.CharField(_("file"), max_length=255)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    tickets_created = models.PositiveIntegerField(_("tickets created"), default=0)
    tickets_updated = models.PositiveIntegerField(_("tickets updated"), default=0)
    events_created = models.PositiveIntegerField(_("events created"), default=0)
    rejected = models.PositiveIntegerField(_("rejected rows"), default=0)
    seconds = models.FloatField(_("seconds"), default=0.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.format}: {self.file_name}"
