"""The KVP register's dashboard panels: open findings and running actions."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from servicegate.core.dashboard import Panel, figure_panel
from servicegate.improvement.choices import FindingStatus, Stage
from servicegate.improvement.models import Action, Finding


def open_findings() -> Panel:
    """Findings nobody acts on yet (one query)."""
    return figure_panel(
        Finding.objects.filter(status=FindingStatus.OPEN).count(), _("open findings")
    )


def running_actions() -> Panel:
    """Improvement actions not done yet (one query)."""
    count = Action.objects.aggregate(n=Count("pk", filter=~Q(stage=Stage.DONE)))["n"]
    return figure_panel(count, _("improvement actions running"))
