"""The KVP register: findings, improvement actions through PDCA and their history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.improvement.choices import (
    FindingSource,
    FindingStatus,
    Kpi,
    Severity,
    Stage,
    Verdict,
)
from servicegate.improvement.texts import breach_title
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.promises.models import Promise


class Finding(models.Model):
    """Something learned about a promise, product, customer or asset that needs improving.

    Breach findings are raised automatically (``services.breach_findings_raise``) when one
    breach cause of a promise passes a threshold in a month; they carry that ``cause``
    and ``period_start``, and a constraint keeps one per promise, cause and month.
    ``status`` moves open → in action (an action was opened) → closed (every action done,
    or closed by hand).
    """

    source = models.CharField(_("source"), max_length=20, choices=FindingSource.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    promise = models.ForeignKey(
        Promise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("promise"),
    )
    product = models.ForeignKey(
        ServiceProduct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("service product"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("customer"),
    )
    asset = models.ForeignKey(
        Asset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("asset"),
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("ticket"),
    )
    cause = models.CharField(_("breach cause"), max_length=24, blank=True)
    period_start = models.DateField(_("period"), null=True, blank=True)
    breaches = models.PositiveIntegerField(_("breaches"), default=0)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings_raised",
        verbose_name=_("raised by"),
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "cause", "period_start"],
                condition=models.Q(source="breach"),
                name="unique_breach_finding",
            )
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="finding_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_live(self) -> bool:
        return self.status != FindingStatus.CLOSED

    @property
    def display_title(self) -> str:
        """The title in the reader's language: a breach finding's is rendered from its
        promise, cause, count and month; any other finding's as it was written."""
        if self.source != FindingSource.BREACH or self.promise is None or not self.cause:
            return self.title
        if self.period_start is None:
            return self.title
        return breach_title(self.promise, self.cause, self.breaches, self.period_start)


class Action(models.Model):
    """An improvement action moving through Plan-Do-Check-Act, one stage at a time.

    The KPI is counted as met / not met: clocks of the promise, product or segment
    (attainment), resolved tickets without reopening (first-time fix) or resolved
    within ``target`` hours (mean time to resolve). The baseline is measured over the
    ``window_days`` before the action was planned; the effect over a window of the same
    length from the start of "do", when the action moves to "check". ``p_value`` is the
    one-sided Fisher exact test that the after-rate is higher than the baseline rate.
    """

    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("finding"),
    )
    source = models.CharField(_("source"), max_length=20, choices=FindingSource.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="improvement_actions",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.PLAN)
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    # What the action is measured by
    kpi = models.CharField(_("KPI"), max_length=24, choices=Kpi.choices, blank=True)
    promise = models.ForeignKey(
        Promise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("promise"),
    )
    product = models.ForeignKey(
        ServiceProduct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("service product"),
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("segment"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("customer"),
    )
    target = models.DecimalField(
        _("target"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Percent for rates, hours for the mean time to resolve."),
    )
    window_days = models.PositiveIntegerField(_("measurement window (days)"), default=90)
    # Baseline (window before planning) and effect (window after "do")
    baseline_from = models.DateTimeField(_("baseline from"), null=True, blank=True)
    baseline_to = models.DateTimeField(_("baseline to"), null=True, blank=True)
    baseline_n = models.PositiveIntegerField(_("baseline count"), default=0)
    baseline_met = models.PositiveIntegerField(_("baseline met"), default=0)
    after_from = models.DateTimeField(_("effect from"), null=True, blank=True)
    after_to = models.DateTimeField(_("effect to"), null=True, blank=True)
    after_n = models.PositiveIntegerField(_("effect count"), default=0)
    after_met = models.PositiveIntegerField(_("effect met"), default=0)
    p_value = models.FloatField(_("p-value"), null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices, blank=True)
    effect_note = models.TextField(_("effect observed"), blank=True)
    effect_measured_at = models.DateTimeField(_("effect measured"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["due", "-pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        indexes = [models.Index(fields=["owner", "stage", "due"], name="action_owner_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def baseline_rate(self) -> float | None:
        return self.baseline_met / self.baseline_n if self.baseline_n else None

    @property
    def after_rate(self) -> float | None:
        return self.after_met / self.after_n if self.after_n else None

    @property
    def effect_recorded(self) -> bool:
        """Whether "check" recorded an effect: a measured test, or (no KPI) a note."""
        if self.kpi:
            return self.effect_measured_at is not None and self.p_value is not None
        return bool(self.effect_note.strip())

    def is_overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today and self.stage != Stage.DONE


class ActionEvent(models.Model):
    """One step in an action's history (created, moved, measured); append-only."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="events", verbose_name=_("action")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_stage = models.CharField(_("from"), max_length=8, blank=True)
    to_stage = models.CharField(_("to"), max_length=8, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("action history entry")
        verbose_name_plural = _("action history")

    def __str__(self) -> str:
        return f"{self.action_id}: {self.from_stage} → {self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Action history is append-only: record a new entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Action history is never deleted.")
