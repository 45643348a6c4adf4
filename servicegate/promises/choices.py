"""Vocabularies of promises, contracts and Service Quality Gates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.operations.choices import TicketStatus

#: The statuses a promise's clock may start, pause or stop on: those of the
#: organisation's tickets (imports map their source statuses onto them), by label.
CLOCK_STATUS_CHOICES = [(s.value, s.label) for s in TicketStatus if s != TicketStatus.OTHER]
CLOCK_STATUSES = frozenset(value for value, _label in CLOCK_STATUS_CHOICES)


class Metric(models.TextChoices):
    """What a promise measures."""

    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")
    ONSITE_ARRIVAL = "onsite_arrival", _("On-site arrival")
    AVAILABILITY = "availability", _("Availability")
    FIRST_TIME_FIX = "first_time_fix", _("First-time-fix rate")
    PREVENTIVE_ON_TIME = "preventive_on_time", _("Preventive visit on time")
    UPDATE_INTERVAL = "update_interval", _("Update interval")
    CUSTOM = "custom", _("Custom")


class TargetUnit(models.TextChoices):
    """The unit of a promise's target value."""

    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    BUSINESS_HOURS = "business_hours", _("business hours")
    BUSINESS_DAYS = "business_days", _("business days")
    PERCENT = "percent", _("percent")


#: A time unit's name for a target of exactly one ("≤ 1 hour", not "≤ 1 hours").
SINGULAR_UNITS = {
    TargetUnit.MINUTES: _("minute"),
    TargetUnit.HOURS: _("hour"),
    TargetUnit.BUSINESS_HOURS: _("business hour"),
    TargetUnit.BUSINESS_DAYS: _("business day"),
}

TIME_UNITS = frozenset(
    {TargetUnit.MINUTES, TargetUnit.HOURS, TargetUnit.BUSINESS_HOURS, TargetUnit.BUSINESS_DAYS}
)
PERCENT_UNITS = frozenset({TargetUnit.PERCENT})

# Which units fit which metric; a custom metric takes any unit.
METRIC_UNITS: dict[str, frozenset[TargetUnit]] = {
    Metric.FIRST_RESPONSE: TIME_UNITS,
    Metric.RESOLUTION: TIME_UNITS,
    Metric.ONSITE_ARRIVAL: TIME_UNITS,
    Metric.UPDATE_INTERVAL: TIME_UNITS,
    Metric.AVAILABILITY: PERCENT_UNITS,
    Metric.FIRST_TIME_FIX: PERCENT_UNITS,
    Metric.PREVENTIVE_ON_TIME: PERCENT_UNITS,
    Metric.CUSTOM: TIME_UNITS | PERCENT_UNITS,
}


class Priority(models.TextChoices):
    """The ticket priority a promise applies to ("" = every priority)."""

    ANY = "", _("Any priority")
    P1 = "P1", _("P1 – critical")
    P2 = "P2", _("P2 – high")
    P3 = "P3", _("P3 – medium")
    P4 = "P4", _("P4 – low")


class PromiseState(models.TextChoices):
    """The lifecycle of a promise (see ``promises.lifecycle``)."""

    DRAFT = "draft", _("Draft")
    FEASIBILITY_REVIEW = "feasibility_review", _("Feasibility review (G1)")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    COMMITTED = "committed", _("Committed")
    IN_SERVICE = "in_service", _("In service")
    UNDER_REVIEW = "under_review", _("Under review (G4)")
    RETIRED = "retired", _("Retired")


class MakerRole(models.TextChoices):
    """Which department made the promise."""

    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    PRE_SALES = "pre_sales", _("Pre-Sales")


class Source(models.TextChoices):
    """Where the promise was made."""

    OFFER = "offer", _("Offer")
    CONTRACT = "contract", _("Contract")
    BROCHURE = "brochure", _("Brochure")
    WEBSITE = "website", _("Website")


class ReopenBehaviour(models.TextChoices):
    """What the clock does when a stopped ticket is reopened."""

    RESUME = "resume", _("Resume the clock")
    NEW_CYCLE = "new_cycle", _("Start a new cycle")


class Department(models.TextChoices):
    """Departments between which quality gates hand over."""

    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    PRE_SALES = "pre_sales", _("Pre-Sales")
    SALES_MARKETING = "sales_marketing", _("Sales/Marketing")
    DELIVERY = "delivery", _("Delivery/Projects")
    SERVICE = "service", _("Service")
    AFTER_SALES = "after_sales", _("After-Sales")


class Decision(models.TextChoices):
    """The outcome of a gate review ("" while it is open)."""

    OPEN = "", _("Open")
    PASS = "pass", _("Pass")
    PASS_WITH_CONDITIONS = "pass_with_conditions", _("Pass with conditions")
    FAIL = "fail", _("Fail with counter-proposal")


class Answer(models.TextChoices):
    """The answer to one checklist criterion ("" = not answered yet)."""

    OPEN = "", _("Not answered")
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class EvidenceKind(models.TextChoices):
    """What form a piece of evidence takes."""

    TEXT = "text", _("Text")
    LINK = "link", _("Link")
    FILE = "file", _("File")


class AuditAction(models.TextChoices):
    """What happened to an audited object."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    TRANSITION = "transition", _("State changed")
    DECIDE = "decide", _("Decided")
    EVIDENCE = "evidence", _("Evidence added")
    ANSWER = "answer", _("Criterion answered")
