"""Template context from accounts: the signed-in user's role labels."""

from __future__ import annotations

from django.http import HttpRequest

from servicegate.accounts.roles import ROLE_LABELS


def roles(request: HttpRequest) -> dict[str, object]:
    """The labels of the roles (groups) the user holds, in the order roles are listed."""
    labels: list[str] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        names = {g.name for g in user.groups.all()}
        labels = [str(label) for key, label in ROLE_LABELS.items() if key in names]
    return {"nav_roles": labels}
