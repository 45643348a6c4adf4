"""The gate board shows promises per state with age in stage and blockers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.promises.models import Promise
from servicegate.promises.selectors import gate_board


def test_cards_by_state_with_age_and_blockers(
    draft: Promise, move: Callable[..., Promise], alice: User
) -> None:
    move(draft, "feasibility_review")
    columns = {c.state: c for c in gate_board(now=timezone.now() + dt.timedelta(days=3))}
    (card,) = columns["feasibility_review"].cards
    assert card.age_days == 3
    assert card.blockers == ["No gate review opened yet."]
    assert columns["draft"].cards == []
    assert "retired" not in columns


def test_days_in_stage_come_from_the_history(draft: Promise, move: Callable[..., Promise]) -> None:
    """The time since the transition into the current state, as the history records it."""
    from django.contrib.contenttypes.models import ContentType

    from servicegate.promises.models import AuditEntry

    move(draft, "feasibility_review")
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Promise),
        object_id=draft.pk,
        action="transition",
    )
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - dt.timedelta(days=12))
    columns = {c.state: c for c in gate_board()}
    (card,) = columns["feasibility_review"].cards
    assert card.age_days == 12
