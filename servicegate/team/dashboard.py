"""The team's dashboard panel: how many technicians there are."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from servicegate.core.dashboard import Panel, figure_panel
from servicegate.team.models import Card, RetroAction, Technician


def technicians() -> Panel:
    """The number of technicians (one query)."""
    return figure_panel(Technician.objects.count(), _("technicians"))


def cards_in_progress() -> Panel:
    """Cards started and not done on all team boards (one query)."""
    return figure_panel(
        Card.objects.filter(started_at__isnull=False, done_at__isnull=True).count(),
        _("cards in progress"),
    )


def open_retro_actions() -> Panel:
    """Actions from retrospectives not done yet (one query)."""
    return figure_panel(RetroAction.objects.filter(done=False).count(), _("open retro actions"))
