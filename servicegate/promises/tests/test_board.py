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
