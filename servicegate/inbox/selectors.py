"""Reads of the inbox: the items every configured source has for a user."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.utils.module_loading import import_string

from servicegate.inbox.items import InboxItem

Source = Callable[[User], list[InboxItem]]


@cache
def _sources(paths: tuple[str, ...]) -> tuple[Source, ...]:
    return tuple(import_string(path) for path in paths)


def inbox_sources() -> tuple[Source, ...]:
    """The functions listed in ``settings.SERVICEGATE_INBOX_SOURCES``."""
    return _sources(tuple(getattr(settings, "SERVICEGATE_INBOX_SOURCES", ())))


def inbox_for(user: User | AnonymousUser) -> list[InboxItem]:
    """Everything waiting for ``user``, oldest first (it has waited longest)."""
    if not isinstance(user, User) or not user.is_active:
        return []
    items = [item for source in inbox_sources() for item in source(user)]
    return sorted(items, key=lambda i: (i.since, i.kind, i.promise or 0, i.ticket or 0))


def inbox_counts(items: list[InboxItem]) -> list[tuple[str, str, int]]:
    """``(kind, label, count)`` per kind, in the order the kinds first appear."""
    counts = Counter(i.kind for i in items)
    labels = {i.kind: i.label for i in items}
    return [(kind, labels[kind], n) for kind, n in counts.items()]
