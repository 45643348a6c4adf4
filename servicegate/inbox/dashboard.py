"""The inbox as a section of the dashboard (``settings.SERVICEGATE_DASHBOARD_SECTIONS``)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from servicegate.core.dashboard import Panel
from servicegate.inbox.selectors import inbox_counts, inbox_for

PANEL_ITEMS = 8


def inbox_section(user: AbstractBaseUser | AnonymousUser) -> Panel:
    """The user's inbox: its first items and a count per kind."""
    items = inbox_for(user if isinstance(user, User) else AnonymousUser())
    return Panel(
        "inbox/_panel.html",
        {"items": items[:PANEL_ITEMS], "total": len(items), "counts": inbox_counts(items)},
    )
