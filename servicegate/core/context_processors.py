"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from servicegate.accounts.roles import ROLE_LABELS
from servicegate.core.navigation import AREAS


def navigation(request: HttpRequest) -> dict[str, object]:
    """The navigation areas, the active area and the user's role labels."""
    match = getattr(request, "resolver_match", None)
    active = match.app_name if match is not None else ""
    roles: list[str] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        names = {g.name for g in user.groups.all()}
        roles = [str(label) for key, label in ROLE_LABELS.items() if key in names]
    return {"nav_areas": AREAS, "nav_active": active, "nav_roles": roles}
