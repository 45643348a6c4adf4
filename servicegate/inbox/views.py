"""The inbox page: what waits for the current user."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicegate.core.permissions import capability_required
from servicegate.inbox.selectors import inbox_counts, inbox_for


@capability_required("view_servicegate")
def inbox(request: HttpRequest) -> HttpResponse:
    """Every item waiting for the user, oldest first, with counts per kind."""
    items = inbox_for(request.user)
    return render(request, "inbox/inbox.html", {"items": items, "counts": inbox_counts(items)})
