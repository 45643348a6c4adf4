"""The scheduling dashboard panel: visits in today's plan."""

from __future__ import annotations

from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicegate.core.dashboard import Panel, figure_panel
from servicegate.scheduling.models import DayPlan, Visit


def visits_today() -> Panel:
    """Visits in the plan in force for today (one query)."""
    newest = DayPlan.objects.filter(date=timezone.localdate()).order_by("-created_at", "-pk")
    count = Visit.objects.filter(plan=Subquery(newest.values("pk")[:1])).count()
    return figure_panel(count, _("visits planned today"))
