"""Service Quality Gates: definitions with checklists, and reviews with evidence."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicegate.accounts.roles import ROLE_LABELS, STAFF_ROLES
from servicegate.promises.choices import Answer, Decision, Department, EvidenceKind
from servicegate.promises.gate_texts import localised
from servicegate.promises.models.promise import Contract, Promise

# A gate is decided inside the organisation: customer contacts own no gate.
ROLE_CHOICES = [(key, ROLE_LABELS[key]) for key in STAFF_ROLES]


class GateDefinition(models.Model):
    """A defined handover point between two departments, with owner and criteria."""

    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    from_department = models.CharField(
        _("from department"), max_length=20, choices=Department.choices
    )
    to_department = models.CharField(_("to department"), max_length=20, choices=Department.choices)
    owner_role = models.CharField(_("owner role"), max_length=20, choices=ROLE_CHOICES)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("quality gate")
        verbose_name_plural = _("quality gates")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The name in the reader's language (a default gate's) or as written."""
        return localised(self.name)

    @property
    def description_text(self) -> str:
        return localised(self.description)


class GateCriterion(models.Model):
    """One checklist question of a gate and the evidence it needs."""

    gate = models.ForeignKey(
        GateDefinition, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("gate")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question = models.CharField(_("question"), max_length=300)
    required_evidence = models.CharField(_("required evidence"), max_length=300, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["gate", "order", "pk"]
        verbose_name = _("gate criterion")
        verbose_name_plural = _("gate criteria")

    def __str__(self) -> str:
        return self.question_text

    @property
    def question_text(self) -> str:
        """The question in the reader's language (a default gate's) or as written."""
        return localised(self.question)

    @property
    def evidence_text(self) -> str:
        return localised(self.required_evidence)


class GateReview(models.Model):
    """The review of one promise (or contract) at one gate, and its decision."""

    gate = models.ForeignKey(
        GateDefinition, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("gate")
    )
    promise = models.ForeignKey(
        Promise,
        on_delete=models.PROTECT,
        related_name="reviews",
        null=True,
        blank=True,
        verbose_name=_("promise"),
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="reviews",
        null=True,
        blank=True,
        verbose_name=_("contract"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="gate_reviews",
        null=True,
        blank=True,
        verbose_name=_("reviewer"),
    )
    decision = models.CharField(
        _("decision"), max_length=30, choices=Decision.choices, blank=True, default=""
    )
    comments = models.TextField(_("comments"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    counter_proposal = models.TextField(_("counter-proposal"), blank=True)
    override_reason = models.TextField(
        _("override reason"),
        blank=True,
        help_text=_("Why the promise can be kept although the feasibility check says red."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("gate review")
        verbose_name_plural = _("gate reviews")

    def __str__(self) -> str:
        return f"{self.gate.code} · {self.promise or self.contract}"

    @property
    def is_open(self) -> bool:
        return self.decision == Decision.OPEN

    def clean(self) -> None:
        if (self.promise_id is None) == (self.contract_id is None):
            raise ValidationError(_("A review is about exactly one promise or one contract."))


class CriterionAnswer(models.Model):
    """The answer of a review to one criterion of its gate."""

    review = models.ForeignKey(
        GateReview, on_delete=models.CASCADE, related_name="answers", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        GateCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    answer = models.CharField(
        _("answer"), max_length=4, choices=Answer.choices, blank=True, default=""
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_answer_per_criterion")
        ]
        verbose_name = _("criterion answer")
        verbose_name_plural = _("criterion answers")

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_answer_display()}"


class Evidence(models.Model):
    """Evidence attached to a review: a text, a link or an uploaded file."""

    review = models.ForeignKey(
        GateReview, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        GateCriterion,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("criterion"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to="gate-evidence/%Y/%m/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.text[:60] or self.url or self.file.name or "—"

    def clean(self) -> None:
        needed = {EvidenceKind.TEXT: "text", EvidenceKind.LINK: "url", EvidenceKind.FILE: "file"}
        field = needed.get(EvidenceKind(self.kind)) if self.kind else None
        if field and not getattr(self, field):
            raise ValidationError({field: _("Give the evidence for the kind you chose.")})
