"""Vocabularies of the KVP register: where findings come from, PDCA stages, KPIs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingSource(models.TextChoices):
    """Where a finding (and the actions taken on it) came from."""

    BREACH = "breach", _("Breach cause")
    G4_REVIEW = "g4_review", _("G4 review")
    CUSTOMER_FEEDBACK = "customer_feedback", _("Customer feedback")
    TECHNICIAN = "technician", _("Technician")
    RETROSPECTIVE = "retrospective", _("Retrospective")


class Severity(models.TextChoices):
    """How much a finding hurts the promises."""

    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class FindingStatus(models.TextChoices):
    """Open (nobody acts yet), in action (an action runs), closed."""

    OPEN = "open", _("open")
    IN_ACTION = "in_action", _("in action")
    CLOSED = "closed", _("closed")


#: Statuses in which a finding still counts (the duplicate check looks at these).
LIVE_STATUSES: list[str] = [FindingStatus.OPEN.value, FindingStatus.IN_ACTION.value]


class Stage(models.TextChoices):
    """Plan-Do-Check-Act, then done; an action moves one stage at a time."""

    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    CHECK = "check", _("Check")
    ACT = "act", _("Act")
    DONE = "done", _("Done")


#: The PDCA order: an action moves only to the next stage.
STAGE_ORDER: list[str] = [s.value for s in Stage]


class Kpi(models.TextChoices):
    """What an action is measured by (met / not met per clock or ticket)."""

    PROMISE_ATTAINMENT = "promise_attainment", _("Attainment of the promise")
    PRODUCT_ATTAINMENT = "product_attainment", _("Attainment of the service product")
    SEGMENT_ATTAINMENT = "segment_attainment", _("Attainment of the segment")
    FIRST_TIME_FIX = "first_time_fix", _("First-time-fix rate")
    MEAN_TIME_TO_RESOLVE = "mean_time_to_resolve", _("Mean time to resolve")


class Verdict(models.TextChoices):
    """What the effect test says."""

    IMPROVED = "improved", _("improved")
    NO_EFFECT = "no_effect", _("no significant effect")
    NOT_MEASURABLE = "not_measurable", _("not measurable")
