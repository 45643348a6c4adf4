"""Vocabularies of the team area: delegation, levels, memberships, feedback, initiatives."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionArea(models.TextChoices):
    """Decisions whose delegation level the service manager sets (Management 3.0)."""

    G1_DECISION = "g1_decision", _("G1 promise feasibility decision")
    G3_SERVICE_START = "g3_service_start", _("G3 service start")
    PREVENTIVE_PLAN = "preventive_plan_changes", _("Preventive plan changes")
    SPARE_PARTS = "spare_part_orders", _("Spare-part orders")
    OVERTIME = "overtime", _("Overtime")


class DelegationLevel(models.IntegerChoices):
    """The seven delegation levels of Management 3.0; from 5 on the team lead decides."""

    TELL = 1, _("1 Tell: the manager decides and explains")
    SELL = 2, _("2 Sell: the manager decides and convinces")
    CONSULT = 3, _("3 Consult: the manager decides after hearing the team")
    AGREE = 4, _("4 Agree: manager and team decide together")
    ADVISE = 5, _("5 Advise: the team decides after the manager's advice")
    INQUIRE = 6, _("6 Inquire: the team decides and informs the manager")
    DELEGATE = 7, _("7 Delegate: the team decides alone")


#: From this level on the team lead decides in the area; below it the manager.
TEAM_DECIDES_FROM = DelegationLevel.ADVISE


class SkillLevel(models.IntegerChoices):
    """Levels of the skills matrix (0 none … 4 can teach it)."""

    NONE = 0, _("0 none")
    LEARNING = 1, _("1 learning")
    INDEPENDENT = 2, _("2 works independently")
    EXPERT = 3, _("3 expert")
    TEACHER = 4, _("4 can teach it")


class MemberRole(models.TextChoices):
    """A person's role in a team."""

    LEAD = "lead", _("team lead")
    MEMBER = "member", _("member")


class FeedbackKind(models.TextChoices):
    """A note between a person and their lead."""

    FEEDBACK = "feedback", _("feedback")
    APPRAISAL = "appraisal", _("appraisal")


class InitiativeStatus(models.TextChoices):
    """Where a cross-functional initiative stands."""

    PROPOSED = "proposed", _("proposed")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    STOPPED = "stopped", _("stopped")


class InitiativeRole(models.TextChoices):
    """A person's role in an initiative."""

    INITIATOR = "initiator", _("initiator")
    MEMBER = "member", _("member")


class LinkKind(models.TextChoices):
    """What an initiative links to."""

    FINDING = "finding", _("KVP finding")
    ACTION = "action", _("improvement action")
    TICKET = "ticket", _("ticket")
    ARTICLE = "article", _("knowledge article")
