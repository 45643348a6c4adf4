"""Who acts: the type every service function takes as ``by``.

A small module that imports no app, so services of every app share one ``Actor``
without importing each other.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

Actor = User | AnonymousUser


def as_user(by: Actor) -> User:
    """The logged-in user behind ``by``; anonymous callers may not write."""
    if not isinstance(by, User):
        raise PermissionDenied(_("Log in first."))
    return by
