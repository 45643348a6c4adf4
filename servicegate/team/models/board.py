"""The team board: columns with WIP limits, cards and every move a card made."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.team.models.teams import Team


class BoardColumn(models.Model):
    """A column of a team's board.

    ``statuses`` are the item statuses (ticket statuses) that place a card here, so a
    card follows its item; ``done`` marks the columns where flow ends (throughput and
    cycle time count the entry into one). ``wip_limit`` empty: no limit.
    """

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="columns", verbose_name=_("team")
    )
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    wip_limit = models.PositiveSmallIntegerField(_("WIP limit"), null=True, blank=True)
    statuses = models.JSONField(_("item statuses"), default=list, blank=True)
    done = models.BooleanField(_("done column"), default=False)

    class Meta:
        ordering = ["team", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "key"], name="unique_board_column_key")
        ]
        verbose_name = _("board column")
        verbose_name_plural = _("board columns")

    def __str__(self) -> str:
        return f"{self.team}: {self.name}"


class Card(models.Model):
    """A piece of the team's work on the board: a ticket or preventive work order, or
    an improvement action (``action_id``, the KVP register's action).

    ``created_at`` is when the item arrived, ``started_at`` when the card first left
    the first column (the commitment point), ``done_at`` when it entered a done column
    (cleared if it leaves again); cycle time is ``done_at - started_at``.
    """

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="cards", verbose_name=_("team")
    )
    column = models.ForeignKey(
        BoardColumn, on_delete=models.PROTECT, related_name="cards", verbose_name=_("column")
    )
    ticket = models.OneToOneField(
        "operations.Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="card",
        verbose_name=_("ticket"),
    )
    action_id = models.PositiveIntegerField(_("improvement action"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("arrived"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    column_since = models.DateTimeField(_("in column since"))

    class Meta:
        ordering = ["column__order", "column_since", "pk"]
        indexes = [models.Index(fields=["team", "done_at"], name="card_team_done_idx")]
        verbose_name = _("card")
        verbose_name_plural = _("cards")

    def __str__(self) -> str:
        return self.title

    def age_days(self, now: datetime) -> float:
        """Days since the card started (since it arrived while not started)."""
        since = self.started_at or self.created_at
        end = self.done_at or now
        return max(0.0, (end - since).total_seconds() / 86400)


class CardMove(models.Model):
    """One move of a card between columns (append-only); the first has no ``from_column``.

    A move into a column at its WIP limit keeps the ``override_reason`` it was let
    through with; the board shows it.
    """

    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, related_name="moves", verbose_name=_("card")
    )
    from_column = models.ForeignKey(
        BoardColumn,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
    )
    to_column = models.ForeignKey(
        BoardColumn, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    override_reason = models.TextField(_("WIP override reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("card move")
        verbose_name_plural = _("card moves")

    def __str__(self) -> str:
        return f"{self.card} → {self.to_column.key}"
