"""Whether a decision area is delegated to a user, for apps the team area depends on.

The promises' gate checks cannot import the team area (which depends on operations
and the catalogue); they ask through the function ``settings.SERVICEGATE_DELEGATION``
names, ``(user, area) -> bool``, like the other cross-app extension points.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from servicegate.core.actors import Actor


def decides_by_delegation(user: Actor, area: str) -> bool:
    """True when ``area`` is delegated far enough that ``user`` (a team lead) decides it."""
    path = getattr(settings, "SERVICEGATE_DELEGATION", "")
    if not path or not user.is_authenticated:
        return False
    return bool(import_string(path)(user, area))
