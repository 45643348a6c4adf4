"""The inbox shows a person the new notes their lead wrote, and a lead the aging cards."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.team.board_services import card_add, card_move
from servicegate.team.inbox import team_items
from servicegate.team.models import Team
from servicegate.team.reflection_services import feedback_create


def test_new_notes_and_aging_cards_wait_in_the_inbox(
    team: Team, dana: User, carol: User, victor: User
) -> None:
    feedback_create(person=carol, by=dana, strengths="Thorough diagnosis.")
    old = card_add(team=team, by=dana, title="Old job", at=timezone.now() - timedelta(days=20))
    card_move(card=old, to="doing", by=dana, at=timezone.now() - timedelta(days=19))
    card_add(team=team, by=dana, title="Fresh job")
    assert [i.kind for i in team_items(carol)] == ["feedback_note"]
    assert [(i.kind, i.title) for i in team_items(dana)] == [("aging_card", "Old job")]
    assert team_items(victor) == []
