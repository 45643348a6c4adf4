"""The catalogue's dashboard panel: how many customer segments there are."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from servicegate.catalog.models import Segment
from servicegate.core.dashboard import Panel, figure_panel


def segments() -> Panel:
    """The number of customer segments (one query)."""
    return figure_panel(Segment.objects.count(), _("customer segments"))
