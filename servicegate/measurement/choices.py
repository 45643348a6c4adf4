"""Vocabularies of measurement: clock states, breach causes, reporting periods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockState(models.TextChoices):
    """The state of a promise clock (the engine's ``STATES``, in the same order)."""

    NOT_STARTED = "not_started", _("not started")
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    MET = "met", _("met")
    BREACHED_RUNNING = "breached_running", _("breached, still running")
    MISSED = "missed", _("missed")


#: Open clock states (the ticket's clock still counts, overdue or not), in the order of
#: the partial at-risk index (queries use the same list, so that SQLite sees the index
#: condition in the WHERE clause).
OPEN_STATES: list[str] = [
    ClockState.RUNNING.value,
    ClockState.PAUSED.value,
    ClockState.BREACHED_RUNNING.value,
]


class BreachCause(models.TextChoices):
    """Where a ticket spent the most time (the dominant cause of a breach)."""

    NONE = "", _("none")
    QUEUE = "queue", _("waiting in the queue")
    WORK = "work", _("long work")
    AWAITING_CUSTOMER = "awaiting_customer", _("waiting for the customer")
    AWAITING_THIRD_PARTY = "awaiting_third_party", _("waiting for vendor or internal team")
    REASSIGNMENTS = "reassignments", _("reassignments")


class Period(models.TextChoices):
    """Reporting periods of attainment."""

    WEEK = "week", _("week")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")


class GroupBy(models.TextChoices):
    """What attainment can be grouped by."""

    PROMISE = "promise", _("promise")
    PRODUCT = "product", _("service product")
    SEGMENT = "segment", _("segment")
    CUSTOMER = "customer", _("customer")
    TEAM = "team", _("team")
    CHANNEL = "channel", _("channel")
    PRIORITY = "priority", _("priority")
