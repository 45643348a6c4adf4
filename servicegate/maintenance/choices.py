"""Vocabularies of preventive services: component classes, life events, triggers, plans."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComponentClass(models.TextChoices):
    """What kind of part a component is; wear parts age (β > 1), electronics fail at random."""

    WEAR = "wear", _("wear part")
    ELECTRONICS = "electronics", _("electronics")
    OTHER = "other", _("other")


class LifeEventKind(models.TextChoices):
    """What happened to a component: it failed, or it was replaced before it failed."""

    FAILURE = "failure", _("failure")
    REPLACEMENT = "replacement", _("preventive replacement")


class TriggerKind(models.TextChoices):
    """What makes a preventive plan order work: the calendar, a counter, a condition, or a
    component's expected remaining life."""

    TIME = "time", _("time (every N days)")
    USAGE = "usage", _("usage (every N on a counter)")
    CONDITION = "condition", _("condition (a reading crosses a threshold)")
    REMAINING_LIFE = "remaining_life", _("remaining life (below N days)")


class WorkKind(models.TextChoices):
    """The ticket kind of the work orders a plan creates (operations' names for them)."""

    PREVENTIVE = "preventive", _("preventive maintenance")
    INSPECTION = "inspection", _("inspection")
    REMOTE_CHECK = "remote_check", _("remote health check")


class PlanStatus(models.TextChoices):
    """Whether a plan still orders work."""

    ACTIVE = "active", _("active")
    ENDED = "ended", _("ended")
