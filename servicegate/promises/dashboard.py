"""The promises' dashboard panel: how many promises are kept in service."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from servicegate.core.dashboard import Panel, figure_panel
from servicegate.promises.models import Promise


def promises_in_service() -> Panel:
    """The number of committed promises, in service or under review (one query)."""
    count = Promise.objects.filter(state__in=["committed", "in_service", "under_review"]).count()
    return figure_panel(count, _("promises kept in service"))
