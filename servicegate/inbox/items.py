"""What an inbox holds: one item waiting for a person. Imports no app.

Every app that has something waiting for someone offers a function
``(user) -> list[InboxItem]``, listed by dotted path in
``settings.SERVICEGATE_INBOX_SOURCES``; the inbox gathers them without importing the
apps (and the apps never import the inbox's selectors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the user: what kind, about which promise or ticket, since when.

    ``title`` and ``label`` (the kind's name) are already in the reader's language;
    ``url`` is where to act on it.
    """

    kind: str
    label: str
    title: str
    url: str
    since: dt.datetime
    promise: int | None = None
    ticket: int | None = None
