"""REST resource of the personal inbox: GET /api/v1/inbox."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from servicegate.core.permissions import require_capability
from servicegate.inbox.items import InboxItem
from servicegate.inbox.selectors import inbox_for

router = Router(tags=["inbox"])


class InboxItemOut(Schema):
    kind: str
    promise: int | None
    ticket: int | None
    title: str
    url: str
    since: dt.datetime


@router.get("/inbox", response=list[InboxItemOut])
def inbox(request: HttpRequest) -> list[InboxItem]:
    """What waits for the current user, oldest first: gate decisions, reviews due,
    rejected promises with their counter-proposal."""
    require_capability(request.user, "view_servicegate")
    return inbox_for(request.user)
