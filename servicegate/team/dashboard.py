"""The team's dashboard panel: how many technicians there are."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from servicegate.core.dashboard import Panel, figure_panel
from servicegate.team.models import Technician


def technicians() -> Panel:
    """The number of technicians (one query)."""
    return figure_panel(Technician.objects.count(), _("technicians"))
