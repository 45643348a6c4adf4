"""Vocabularies of the service catalogue: the four Ps of a service product."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    """Product: what kind of service the product is."""

    REACTIVE = "reactive", _("Reactive")
    PREVENTIVE = "preventive", _("Preventive")
    CONSULTING = "consulting", _("Consulting")
    TRAINING = "training", _("Training")


class PriceModel(models.TextChoices):
    """Price: how the customer pays for the product."""

    FIXED = "fixed", _("Fixed price")
    SUBSCRIPTION = "subscription", _("Subscription")
    PER_INCIDENT = "per_incident", _("Per incident")
    PER_HOUR = "per_hour", _("Per hour")


class Currency(models.TextChoices):
    """Currencies prices are quoted in."""

    EUR = "EUR", "EUR"
    CHF = "CHF", "CHF"
    USD = "USD", "USD"
    GBP = "GBP", "GBP"


class Channel(models.TextChoices):
    """Placement: the channel through which the service is delivered."""

    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On-site")
    SELF_SERVICE = "self_service", _("Self-service")
    HYBRID = "hybrid", _("Hybrid")
