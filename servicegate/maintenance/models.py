"""Preventive services: reliability data of the installed base, counters, plans, work orders."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.catalog.models import ServiceProduct
from servicegate.maintenance.choices import (
    ComponentClass,
    LifeEventKind,
    PlanStatus,
    TriggerKind,
    WorkKind,
)
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.team.models import Skill


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


class AssetModel(models.Model):
    """A machine type of the installed base; assets belong to it by ``Asset.product_model``."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("asset model")
        verbose_name_plural = _("asset models")

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    """A part of an asset model whose lives are recorded and fitted (a pump, a controller)."""

    asset_model = models.ForeignKey(
        AssetModel,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("asset model"),
    )
    name = models.CharField(_("name"), max_length=100)
    component_class = models.CharField(
        _("class"), max_length=16, choices=ComponentClass.choices, default=ComponentClass.OTHER
    )
    downtime_hours = models.FloatField(
        _("downtime per failure (hours)"), default=8.0, validators=[MinValueValidator(0.0)]
    )
    cost_failure = models.DecimalField(
        _("cost of a failure"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("2000"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    cost_preventive = models.DecimalField(
        _("cost of a preventive replacement"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("400"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["asset_model__name", "name"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.UniqueConstraint(fields=["asset_model", "name"], name="unique_component_name")
        ]

    def __str__(self) -> str:
        return f"{self.asset_model.name} / {self.name}"


class LifeEvent(models.Model):
    """A component of an asset failed or was replaced before failing, at an instant.

    The lives of a component on an asset run from the asset's observation start (its
    install date) or the previous event to the next event: ending in a failure it is a
    failure time, ending in a preventive replacement or the present it is censored.
    """

    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="life_events", verbose_name=_("asset")
    )
    component = models.ForeignKey(
        Component, on_delete=models.CASCADE, related_name="life_events", verbose_name=_("component")
    )
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=16, choices=LifeEventKind.choices)
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="life_events",
        verbose_name=_("ticket"),
    )
    source = models.CharField(_("source"), max_length=32, default="servicegate")

    class Meta:
        ordering = ["asset_id", "component_id", "at"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "component", "at", "kind"], name="unique_life_event"
            )
        ]
        indexes = [models.Index(fields=["component", "at"], name="life_event_component_idx")]

    def __str__(self) -> str:
        return f"{self.asset} {self.component.name} {self.kind} @ {self.at:%Y-%m-%d}"


class Counter(models.Model):
    """A counter of an asset that only grows (operating hours, cycles, kilometres)."""

    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="counters", verbose_name=_("asset")
    )
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    last_value = models.FloatField(_("last value"), null=True, blank=True)
    last_at = models.DateTimeField(_("last reading at"), null=True, blank=True)
    #: A condition counter (temperature, vibration) may go down; an usage counter may not.
    monotonic = models.BooleanField(_("only grows"), default=True)

    class Meta:
        ordering = ["asset_id", "name"]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [
            models.UniqueConstraint(fields=["asset", "name"], name="unique_counter_name")
        ]

    def __str__(self) -> str:
        return f"{self.asset} {self.name}"


class Reading(models.Model):
    """One value of a counter at an instant."""

    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, related_name="readings", verbose_name=_("counter")
    )
    value = models.FloatField(_("value"))
    at = models.DateTimeField(_("at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["counter_id", "at", "id"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        indexes = [models.Index(fields=["counter", "at"], name="reading_counter_at_idx")]

    def __str__(self) -> str:
        return f"{self.counter} = {self.value} @ {self.at:%Y-%m-%d %H:%M}"


class PreventiveTerms(models.Model):
    """What a preventive service product does to which asset model, and what it costs us.

    The catalogue's product says the four Ps; these terms say the work: the asset model
    and components it covers, the ticket kind and duration of each visit, the default
    interval, and the cost rates from which the offer's margin is computed.
    """

    product = models.OneToOneField(
        ServiceProduct,
        on_delete=models.CASCADE,
        related_name="preventive_terms",
        verbose_name=_("service product"),
    )
    asset_model = models.ForeignKey(
        AssetModel, on_delete=models.PROTECT, related_name="terms", verbose_name=_("asset model")
    )
    components = models.ManyToManyField(
        Component, blank=True, related_name="terms", verbose_name=_("components covered")
    )
    work_kind = models.CharField(
        _("work kind"), max_length=16, choices=WorkKind.choices, default=WorkKind.PREVENTIVE
    )
    interval_days = models.PositiveIntegerField(
        _("default interval (days)"), validators=[MinValueValidator(1)]
    )
    duration_minutes = models.PositiveIntegerField(_("duration of a visit (minutes)"), default=120)
    window_days = models.PositiveIntegerField(_("visit window (± days)"), default=7)
    hourly_cost = models.DecimalField(
        _("technician cost per hour"), max_digits=10, decimal_places=2, default=Decimal("65")
    )
    required_skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("required skills")
    )

    class Meta:
        ordering = ["product__name"]
        verbose_name = _("preventive terms")
        verbose_name_plural = _("preventive terms")

    def __str__(self) -> str:
        return f"{self.product.name} ({self.asset_model.name})"


class PreventivePlan(models.Model):
    """A preventive service sold to a customer for some assets over some months.

    ``offer`` keeps the offer's figures as accepted (incidents avoided, price, margin),
    so the plan still says what was promised when the reliability data move on.
    """

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="preventive_plans",
        verbose_name=_("customer"),
    )
    product = models.ForeignKey(
        ServiceProduct,
        on_delete=models.PROTECT,
        related_name="preventive_plans",
        verbose_name=_("service product"),
    )
    assets = models.ManyToManyField(
        Asset, related_name="preventive_plans", verbose_name=_("assets")
    )
    starts_on = models.DateField(_("starts on"))
    months = models.PositiveIntegerField(_("months"), validators=[MinValueValidator(1)])
    work_kind = models.CharField(_("work kind"), max_length=16, choices=WorkKind.choices)
    duration_minutes = models.PositiveIntegerField(_("duration of a visit (minutes)"))
    window_days = models.PositiveIntegerField(_("visit window (± days)"), default=7)
    required_skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("required skills")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    offer: models.JSONField[Any] = models.JSONField(
        _("offer as accepted"), default=dict, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("preventive plan")
        verbose_name_plural = _("preventive plans")

    def __str__(self) -> str:
        return f"{self.product.name} – {self.customer.name}"

    @property
    def ends_on(self) -> date:
        """The first day after the plan (``months`` calendar months after the start)."""
        return add_months(self.starts_on, self.months)


class Trigger(models.Model):
    """What makes a plan order work: every ``every`` days (time), every ``every`` units of
    ``counter`` (usage), or ``counter`` reaching ``threshold`` (condition)."""

    plan = models.ForeignKey(
        PreventivePlan, on_delete=models.CASCADE, related_name="triggers", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TriggerKind.choices)
    every = models.FloatField(
        _("every"), null=True, blank=True, help_text=_("Days (time) or counter units (usage).")
    )
    counter = models.CharField(_("counter"), max_length=50, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("trigger")
        verbose_name_plural = _("triggers")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.every or self.threshold or ''} {self.counter}"


class PlanWorkOrder(models.Model):
    """Links a work order (an operations ticket) to the plan and trigger occurrence that
    ordered it; ``(trigger, asset, occurrence)`` is unique, so ordering twice orders once."""

    plan = models.ForeignKey(
        PreventivePlan, on_delete=models.CASCADE, related_name="work_orders", verbose_name=_("plan")
    )
    trigger = models.ForeignKey(
        Trigger, on_delete=models.CASCADE, related_name="work_orders", verbose_name=_("trigger")
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="+", verbose_name=_("asset")
    )
    occurrence = models.CharField(_("occurrence"), max_length=40)
    due_on = models.DateField(_("due on"))
    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="plan_link", verbose_name=_("work order")
    )

    class Meta:
        ordering = ["plan_id", "due_on", "asset_id"]
        verbose_name = _("plan work order")
        verbose_name_plural = _("plan work orders")
        constraints = [
            models.UniqueConstraint(
                fields=["trigger", "asset", "occurrence"], name="unique_plan_work_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.asset_id}/{self.occurrence}"
