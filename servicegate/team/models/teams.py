"""Teams and their members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.team.choices import MemberRole


class Team(models.Model):
    """A service team with its vision and mission; it owns one board.

    ``ticket_group`` is the assignment group of the tickets the team works: a ticket
    lands on this board when its group is this or its technician belongs to the team.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission statement"), blank=True)
    ticket_group = models.CharField(_("ticket group"), max_length=200, blank=True)
    aging_days = models.PositiveSmallIntegerField(
        _("aging after (days)"),
        default=7,
        help_text=_("Open cards older than this are highlighted on the board."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person in a team; the lead (dispatcher) reads the members' feedback notes."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )

    class Meta:
        ordering = ["team", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="unique_team_member")]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return f"{self.team} – {self.user} ({self.role})"
