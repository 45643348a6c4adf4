"""Promises (quality statements made to customers) and the contracts that carry them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.operations.models import Customer
from servicegate.promises.choices import (
    CLOCK_STATUS_CHOICES,
    CLOCK_STATUSES,
    METRIC_UNITS,
    SINGULAR_UNITS,
    TIME_UNITS,
    MakerRole,
    Metric,
    Priority,
    PromiseState,
    ReopenBehaviour,
    Source,
    TargetUnit,
)


def default_start_statuses() -> list[str]:
    """No start status: the clock starts when the ticket is opened."""
    return []


def default_pause_statuses() -> list[str]:
    return ["awaiting_customer"]


def default_stop_statuses() -> list[str]:
    return ["resolved", "closed"]


def positive(value: Decimal) -> None:
    """Refuse zero and negative targets (kept for the first migration)."""
    if value is not None and value <= 0:
        raise ValidationError(_("The target must be greater than zero."), code="not_positive")


def not_negative(value: Decimal) -> None:
    """Refuse negative targets; ``Promise.clean`` allows zero for time targets only
    ("within 0 minutes": a discovered rule may find that nothing was ever met)."""
    if value is not None and value < 0:
        raise ValidationError(_("The target cannot be negative."), code="negative")


def attainment_range(value: Decimal) -> None:
    """Attainment is a share of cases: more than 0 and at most 100 percent."""
    if value is not None and not (0 < value <= 100):
        raise ValidationError(
            _("The attainment level must be more than 0 and at most 100 percent."),
            code="attainment_range",
        )


#: The terms of a promise a person sets (in form order); services, forms, the API and
#: the clock triggers all derive their field lists from this one tuple.
PROMISE_FIELDS: tuple[str, ...] = (
    "title",
    "product",
    "segment",
    "priority",
    "customer",
    "contract",
    "metric",
    "custom_metric",
    "target_value",
    "target_unit",
    "attainment_percent",
    "calendar",
    "clock_start_statuses",
    "clock_pause_statuses",
    "clock_stop_statuses",
    "reopen_behaviour",
    "warning_percent",
    "made_by_role",
    "source",
    "source_reference",
    "valid_from",
    "valid_to",
)
#: Terms that change no clock: naming, the attainment level and where it was made.
UNCLOCKED_FIELDS = frozenset(
    {"title", "custom_metric", "attainment_percent", "made_by_role", "source", "source_reference"}
)


class Contract(models.Model):
    """A service contract with one customer: the products sold and their promises."""

    number = models.CharField(_("contract number"), max_length=40, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("customer")
    )
    products = models.ManyToManyField(
        ServiceProduct, related_name="contracts", verbose_name=_("products")
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    notes = models.TextField(_("special agreements"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "number"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.number} – {self.customer.name}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end must be after the start.")})


class Promise(models.Model):
    """A service quality statement made to customers, e.g. "95 % of P2 within 4 h".

    The state moves only through ``services.promise_transition``; ``version`` grows
    with every write so that a stale edit is refused instead of silently overwritten.
    """

    title = models.CharField(_("title"), max_length=200, blank=True)
    # What is promised
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    custom_metric = models.CharField(_("custom metric"), max_length=100, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=10, decimal_places=2, validators=[not_negative]
    )
    target_unit = models.CharField(_("target unit"), max_length=20, choices=TargetUnit.choices)
    attainment_percent = models.DecimalField(
        _("attainment level (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[attainment_range],
        help_text=_("Share of cases in which the target is met, e.g. 95."),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        related_name="promises",
        verbose_name=_("business calendar"),
    )
    # Clock rules
    clock_start_statuses: models.JSONField[Any] = models.JSONField(
        _("clock starts on"), default=default_start_statuses, blank=True
    )
    clock_pause_statuses: models.JSONField[Any] = models.JSONField(
        _("clock pauses on"), default=default_pause_statuses, blank=True
    )
    clock_stop_statuses: models.JSONField[Any] = models.JSONField(
        _("clock stops on"), default=default_stop_statuses, blank=True
    )
    reopen_behaviour = models.CharField(
        _("on reopen"),
        max_length=20,
        choices=ReopenBehaviour.choices,
        default=ReopenBehaviour.RESUME,
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("warning point (percent of the target)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the target after which a running clock is at risk, e.g. 75."),
    )
    # Scope
    product = models.ForeignKey(
        ServiceProduct,
        on_delete=models.PROTECT,
        related_name="promises",
        verbose_name=_("service product"),
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="promises", verbose_name=_("segment")
    )
    priority = models.CharField(
        _("priority"), max_length=4, choices=Priority.choices, blank=True, default=""
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="promises",
        null=True,
        blank=True,
        verbose_name=_("customer"),
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="promises",
        null=True,
        blank=True,
        verbose_name=_("contract"),
    )
    # Who made it, where
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="promises_made",
        verbose_name=_("made by"),
    )
    made_by_role = models.CharField(_("made as"), max_length=20, choices=MakerRole.choices)
    source = models.CharField(_("made in"), max_length=20, choices=Source.choices)
    source_reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("Offer number, URL, page…")
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Lifecycle
    state = models.CharField(
        _("state"), max_length=20, choices=PromiseState.choices, default=PromiseState.DRAFT
    )
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now)
    counter_proposal = models.TextField(_("counter-proposal"), blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="successors",
        null=True,
        blank=True,
        verbose_name=_("replaces"),
        help_text=_("The promise this one revises; it is retired when this one goes into service."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["state"])]
        verbose_name = _("promise")
        verbose_name_plural = _("promises")

    def __str__(self) -> str:
        return self.title or self.statement

    @property
    def scope(self) -> str:
        """Where the promise applies, most specific first: contract, customer, product."""
        if self.contract is not None:
            return str(self.contract.number)
        if self.customer is not None:
            return str(self.customer.name)
        return f"{self.product.name} · {self.segment.name}"

    @property
    def statement(self) -> str:
        """The promise as one sentence, e.g. "95 % of P2 first response within 4 h" (numbers
        in the reader's format: "99,5 %" in German)."""
        metric = self.custom_metric or self.get_metric_display()
        pct = f"{number_format(self.attainment_percent.normalize())} %"
        pct = pct if self.attainment_percent else ""
        prio = f" {self.priority}" if self.priority else ""
        if self.target_unit == TargetUnit.PERCENT:
            return f"{metric}{prio} ≥ {self.target_text} ({pct})"
        return f"{pct} {metric}{prio} ≤ {self.target_text}"

    @property
    def target_text(self) -> str:
        """The target with its unit in the reader's language: "1 hour", "1,5 Stunden"."""
        target = (
            number_format(self.target_value.normalize()) if self.target_value is not None else "?"
        )
        if self.target_unit == TargetUnit.PERCENT:
            return f"{target} %"
        unit = self.get_target_unit_display()
        if self.target_value == 1 and self.target_unit in SINGULAR_UNITS:
            unit = str(SINGULAR_UNITS[TargetUnit(self.target_unit)])
        return f"{target} {unit}"

    def clock_status_labels(self) -> dict[str, str]:
        """The clock's start, pause and stop statuses by their labels, for display."""
        labels = dict(CLOCK_STATUS_CHOICES)

        def named(statuses: list[str] | None) -> str:
            return ", ".join(str(labels.get(s, s)) for s in statuses or ())

        return {
            "start": named(self.clock_start_statuses) or str(_("when the ticket is opened")),
            "pause": named(self.clock_pause_statuses) or "—",
            "stop": named(self.clock_stop_statuses) or "—",
        }

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        allowed = METRIC_UNITS.get(self.metric)
        if allowed is not None and self.target_unit and self.target_unit not in allowed:
            names = ", ".join(str(TargetUnit(u).label) for u in sorted(allowed))
            errors["target_unit"] = _(
                "This unit does not fit the metric %(metric)s; choose one of: %(units)s."
            ) % {"metric": self.get_metric_display(), "units": names}
        if (
            self.target_unit == TargetUnit.PERCENT
            and self.target_value is not None
            and self.target_value > 100
        ):
            errors["target_value"] = _("A percentage target can be at most 100.")
        if self.target_value == 0 and self.target_unit not in TIME_UNITS:
            errors["target_value"] = _(
                "Only a time target may be zero; enter a target greater than zero."
            )
        if self.metric == Metric.CUSTOM and not self.custom_metric:
            errors["custom_metric"] = _("Name the custom metric.")
        for name in ("clock_start_statuses", "clock_pause_statuses", "clock_stop_statuses"):
            unknown = [s for s in getattr(self, name) or () if s not in CLOCK_STATUSES]
            if unknown:
                errors[name] = _(
                    "These are not ticket statuses: %(unknown)s. Choose from: %(known)s."
                ) % {
                    "unknown": ", ".join(str(s) for s in unknown),
                    "known": ", ".join(sorted(CLOCK_STATUSES)),
                }
        if self.valid_to and self.valid_from and self.valid_to <= self.valid_from:
            errors["valid_to"] = _("The end of validity must be after its start.")
        if self.product_id and self.segment_id and self.product.segment_id != self.segment_id:
            errors["segment"] = _("The segment must be the segment of the service product.")
        contract = self.contract if self.contract_id else None
        if contract is not None and self.customer_id and contract.customer_id != self.customer_id:
            errors["customer"] = _("The customer must be the customer of the contract.")
        if errors:
            raise ValidationError(errors)
