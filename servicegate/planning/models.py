"""Models of planning: the stored Gate-1 feasibility results."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicegate.promises.models import Evidence, GateReview, Promise


class FeasibilityResult(models.Model):
    """One computed feasibility assessment of a promise (Gate 1 evidence).

    ``inputs`` holds the figures gathered from the database (arrivals per week,
    handling time, agents, open hours, …); ``result`` the engine's
    ``FeasibilityAssessment.to_dict()``. ``review`` is the G1 review the result was
    attached to as evidence, or NULL when no G1 review was open; ``evidence`` the
    evidence row, whose sentence is rendered from these numbers when shown.
    """

    class Verdict(models.TextChoices):
        GREEN = "green", _("green")
        AMBER = "amber", _("amber")
        RED = "red", _("red")

    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        related_name="feasibility_results",
        verbose_name=_("promise"),
    )
    review = models.ForeignKey(
        GateReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feasibility_results",
        verbose_name=_("review"),
    )
    evidence = models.OneToOneField(
        Evidence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feasibility_result",
        verbose_name=_("evidence"),
    )
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed by"),
    )
    inputs: models.JSONField[Any] = models.JSONField(_("inputs"), default=dict)
    result: models.JSONField[Any] = models.JSONField(_("result"), default=dict)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        indexes = [models.Index(fields=["promise", "-computed_at"], name="feasibility_promise_idx")]
        verbose_name = _("feasibility result")
        verbose_name_plural = _("feasibility results")

    def __str__(self) -> str:
        return f"{self.promise_id} · {self.verdict} · {self.computed_at:%Y-%m-%d %H:%M}"
