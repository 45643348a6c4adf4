"""``{% inbox_panel %}``: the current user's inbox with counts, for the dashboard."""

from __future__ import annotations

from typing import Any

from django import template

from servicegate.inbox.selectors import inbox_counts, inbox_for

register = template.Library()

PANEL_ITEMS = 8


@register.inclusion_tag("inbox/_panel.html", takes_context=True)
def inbox_panel(context: dict[str, Any]) -> dict[str, Any]:
    items = inbox_for(context["request"].user)
    return {"items": items[:PANEL_ITEMS], "total": len(items), "counts": inbox_counts(items)}
