"""Shared knowledge: solution articles written from resolved tickets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    """A solution article, usually written from a resolved ticket.

    ``asset_model`` and ``category`` (copied from the ticket) link the article from
    other tickets with the same asset model or category.
    """

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    solution = models.TextField(_("solution"))
    ticket = models.ForeignKey(
        "operations.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("written from ticket"),
    )
    asset_model = models.CharField(_("asset model"), max_length=100, blank=True, db_index=True)
    category = models.CharField(_("category"), max_length=200, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")

    def __str__(self) -> str:
        return self.title
