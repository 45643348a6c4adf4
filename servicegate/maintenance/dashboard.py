"""Preventive services' dashboard panels: plans in force and open condition alarms."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from servicegate.core.dashboard import Panel, figure_panel
from servicegate.maintenance.choices import PlanStatus, TriggerKind
from servicegate.maintenance.models import PlanWorkOrder, PreventivePlan
from servicegate.operations.choices import OPEN_STATUSES


def active_plans() -> Panel:
    """The number of preventive plans in force (one query)."""
    return figure_panel(
        PreventivePlan.objects.filter(status=PlanStatus.ACTIVE).count(),
        _("active preventive plans"),
    )


def condition_alarms() -> Panel:
    """Work orders a condition trigger opened that are still open (one query)."""
    count = PlanWorkOrder.objects.filter(
        trigger__kind=TriggerKind.CONDITION, ticket__status__in=OPEN_STATUSES
    ).count()
    return figure_panel(count, _("open condition alarms"))
