"""The team area's inbox items: new feedback notes about you, and for a team lead the
aging cards on their board (``SERVICEGATE_INBOX_SOURCES``)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.inbox.items import InboxItem
from servicegate.team.choices import MemberRole
from servicegate.team.models import Card, FeedbackNote, Team

#: Notes newer than this are shown as new.
NEW_NOTE_DAYS = 14


def team_items(user: User | AnonymousUser) -> list[InboxItem]:
    """New notes about ``user`` written by their lead; aging cards of the teams they lead
    (three queries)."""
    if not user.is_authenticated:
        return []
    now = timezone.now()
    notes = FeedbackNote.objects.filter(
        person_id=user.pk, created_at__gte=now - timedelta(days=NEW_NOTE_DAYS)
    ).exclude(author_id=user.pk)
    items = [
        InboxItem(
            kind="feedback_note",
            label=_("Feedback note"),
            title=_("A new note from your team lead"),
            url=reverse("team:feedback"),
            since=note.created_at,
        )
        for note in notes
    ]
    led = list(Team.objects.filter(members__user_id=user.pk, members__role=MemberRole.LEAD))
    for card in Card.objects.filter(team__in=led, done_at__isnull=True).select_related("team"):
        if card.age_days(now) > card.team.aging_days:
            items.append(
                InboxItem(
                    kind="aging_card",
                    label=_("Aging card"),
                    title=card.title,
                    url=f"{reverse('team:board')}?team={card.team_id}",
                    since=card.started_at or card.created_at,
                    ticket=card.ticket_id,
                )
            )
    return items
