"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from servicegate.core.navigation import AREAS


def navigation(request: HttpRequest) -> dict[str, object]:
    """The navigation areas and the active area (the user's roles come from accounts)."""
    match = getattr(request, "resolver_match", None)
    active = match.app_name if match is not None else ""
    return {"nav_areas": AREAS, "nav_active": active}
