"""What the KVP register puts into people's inboxes (``SERVICEGATE_INBOX_SOURCES``):
the unfinished actions a person owns that are due within two weeks or overdue."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.improvement.selectors import actions_due_for
from servicegate.inbox.items import InboxItem


def action_items(user: User) -> list[InboxItem]:
    """The actions due for ``user`` (one query)."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    items = []
    for action in actions_due_for(user, today)[:50]:
        assert action.due is not None
        overdue = action.due < today
        label = _("Action overdue") if overdue else _("Action due")
        title = _("%(title)s (%(stage)s) is due on %(due)s.") % {
            "title": action.title,
            "stage": action.get_stage_display(),
            "due": action.due.isoformat(),
        }
        items.append(
            InboxItem(
                kind="action_due",
                label=label,
                title=title,
                url=reverse("improvement:action_detail", args=[action.pk]),
                since=datetime.combine(action.due, time.min, tzinfo=UTC),
                promise=action.promise_id,
            )
        )
    return items
