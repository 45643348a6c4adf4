"""Skills assessments and needs, delegation, retrospectives, feedback and initiatives."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.team.choices import (
    DecisionArea,
    DelegationLevel,
    FeedbackKind,
    InitiativeRole,
    InitiativeStatus,
    LinkKind,
    SkillLevel,
)
from servicegate.team.models.skills import Skill
from servicegate.team.models.teams import Team

USER = settings.AUTH_USER_MODEL


class SkillAssessment(models.Model):
    """A person's level in a skill (0–4), as they see it and as their lead sees it.

    The matrix shows the lead's level where there is one, the self-assessment otherwise.
    """

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="skill_assessments", verbose_name=_("user")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("skill")
    )
    self_level = models.PositiveSmallIntegerField(
        _("self-assessment"), choices=SkillLevel.choices, null=True, blank=True
    )
    lead_level = models.PositiveSmallIntegerField(
        _("lead assessment"), choices=SkillLevel.choices, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="unique_skill_assessment")
        ]
        verbose_name = _("skill assessment")
        verbose_name_plural = _("skill assessments")

    def __str__(self) -> str:
        return f"{self.user} – {self.skill}"

    @property
    def level(self) -> int:
        """The level the matrix shows: the lead's, else the person's own, else 0."""
        if self.lead_level is not None:
            return self.lead_level
        return self.self_level or 0


class SkillNeed(models.Model):
    """What a service product needs: at least ``people`` persons at ``level`` in ``skill``."""

    product = models.ForeignKey(
        "catalog.ServiceProduct",
        on_delete=models.CASCADE,
        related_name="skill_needs",
        verbose_name=_("service product"),
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="needs", verbose_name=_("skill")
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=SkillLevel.choices, validators=[MinValueValidator(1)]
    )
    people = models.PositiveSmallIntegerField(
        _("people"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["product", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["product", "skill"], name="unique_skill_need")
        ]
        verbose_name = _("skill need")
        verbose_name_plural = _("skill needs")

    def __str__(self) -> str:
        return f"{self.product}: {self.people}× {self.skill} ≥ {self.level}"


class Delegation(models.Model):
    """How far a decision area is delegated (Management 3.0 levels 1–7).

    Without a ``team`` the level applies to every team lead (dispatcher); a team's own
    row applies to that team's lead. No row: level 1, the manager decides.
    """

    area = models.CharField(_("decision area"), max_length=32, choices=DecisionArea.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("team"),
    )
    level = models.PositiveSmallIntegerField(
        _("delegation level"),
        choices=DelegationLevel.choices,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("set by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["area", "team"]
        constraints = [
            models.UniqueConstraint(fields=["area", "team"], name="unique_delegation_team_area"),
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(team__isnull=True),
                name="unique_delegation_global_area",
            ),
        ]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return f"{self.area}: {self.level}"


class Retrospective(models.Model):
    """A team's regular reflection: what went well, what to improve, actions."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="retrospectives", verbose_name=_("team")
    )
    date = models.DateField(_("date"))
    went_well = models.TextField(_("went well"), blank=True)
    to_improve = models.TextField(_("to improve"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")

    def __str__(self) -> str:
        return f"{self.team} {self.date}"


class RetroAction(models.Model):
    """An action a retrospective agreed on; it becomes a KVP improvement action
    (``action_id``) once the register exists."""

    retrospective = models.ForeignKey(
        Retrospective,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("retrospective"),
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    action_id = models.PositiveIntegerField(_("improvement action"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["retrospective", "pk"]
        verbose_name = _("retrospective action")
        verbose_name_plural = _("retrospective actions")

    def __str__(self) -> str:
        return self.title


class FeedbackNote(models.Model):
    """Feedback or an appraisal note between a person and their lead, strengths first.

    Only the person and their lead (at the time of writing) may read it.
    """

    person = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="feedback_about", verbose_name=_("person")
    )
    lead = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="feedback_as_lead", verbose_name=_("lead")
    )
    author = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=FeedbackKind.choices, default=FeedbackKind.FEEDBACK
    )
    strengths = models.TextField(_("strengths"))
    growth = models.TextField(_("to grow"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback note")
        verbose_name_plural = _("feedback notes")

    def __str__(self) -> str:
        return f"{self.kind}: {self.person}"


class Initiative(models.Model):
    """A cross-functional initiative beside the hierarchy (Kotter's dual operating system)."""

    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PROPOSED,
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    started_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.title


class InitiativeMember(models.Model):
    """A volunteer in an initiative, from any department."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="members", verbose_name=_("initiative")
    )
    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=InitiativeRole.choices, default=InitiativeRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["initiative", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="unique_initiative_member")
        ]
        verbose_name = _("initiative member")
        verbose_name_plural = _("initiative members")

    def __str__(self) -> str:
        return f"{self.initiative} – {self.user}"


class InitiativeLink(models.Model):
    """A link from an initiative to a finding, action, ticket or article (by id)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="links", verbose_name=_("initiative")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LinkKind.choices)
    target_id = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["initiative", "kind", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "kind", "target_id"], name="unique_initiative_link"
            )
        ]
        verbose_name = _("initiative link")
        verbose_name_plural = _("initiative links")

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id}"
