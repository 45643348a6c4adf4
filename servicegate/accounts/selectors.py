"""Reads of accounts: the roles a user holds."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from servicegate.accounts.roles import ROLES


def user_roles(user: User | AnonymousUser) -> list[str]:
    """Return the role names of ``user`` in the canonical order."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in ROLES if role in names]
