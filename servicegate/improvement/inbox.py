"""What the KVP register puts into people's inboxes (``SERVICEGATE_INBOX_SOURCES``):
the unfinished actions a person owns that are due within two weeks or overdue, and
for a promise's maker the recommendation of its decided G4 review."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

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


#: How long a decided G4 review stays in its promise maker's inbox.
G4_DAYS = 30


def g4_recommendation_items(user: User) -> list[InboxItem]:
    """For the maker of a promise whose G4 review was decided in the last 30 days: the
    recommendation back to Sales waits on the review page (one query)."""
    from servicegate.promises.models import GateReview

    if not user.is_authenticated:
        return []
    since = timezone.now() - timedelta(days=G4_DAYS)
    reviews = (
        GateReview.objects.filter(gate__code="G4", promise__made_by=user, decided_at__gte=since)
        .select_related("promise")
        .order_by("-decided_at")[:20]
    )
    return [
        InboxItem(
            kind="g4_recommendation",
            label=_("G4 recommendation"),
            title=_("The G4 review of %(promise)s is decided: read the recommendation.")
            % {"promise": review.promise},
            url=reverse("promises:review", args=[review.pk]),
            since=review.decided_at or since,
            promise=review.promise_id,
        )
        for review in reviews
    ]
