"""Every lifecycle transition, and every refusal of an illegal one."""

from __future__ import annotations

from collections.abc import Callable
from itertools import product as pairs

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from servicegate.promises import lifecycle, services
from servicegate.promises.choices import PromiseState
from servicegate.promises.models import Promise
from servicegate.promises.walkthrough import review_through

# A path from draft to each state, through the allowed transitions.
PATHS = {
    "draft": [],
    "feasibility_review": ["feasibility_review"],
    "approved": ["feasibility_review", "approved"],
    "rejected": ["feasibility_review", "rejected"],
    "committed": ["feasibility_review", "approved", "committed"],
    "in_service": ["feasibility_review", "approved", "committed", "in_service"],
    "under_review": ["feasibility_review", "approved", "committed", "in_service", "under_review"],
    "retired": [
        "feasibility_review",
        "approved",
        "committed",
        "in_service",
        "under_review",
        "retired",
    ],
}


@pytest.mark.parametrize(
    "transition", lifecycle.TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}"
)
def test_every_allowed_transition_moves_the_promise(
    draft: Promise, move: Callable[..., Promise], transition: lifecycle.Transition
) -> None:
    """Each transition of the table moves the promise and bumps its version."""
    # given a promise in the source state
    promise = move(draft, *PATHS[transition.source])
    version = promise.version
    # when the right persona takes the step
    promise = move(promise, transition.target)
    # then
    promise.refresh_from_db()
    assert promise.state == transition.target
    assert promise.version == version + 1


ILLEGAL = [
    (s, t)
    for s, t in pairs(PromiseState.values, PromiseState.values)
    if lifecycle.find(s, t) is None
]


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_what_is_allowed(
    draft: Promise, move: Callable[..., Promise], bob: User, source: str, target: str
) -> None:
    """A step the table does not contain is refused; the message names the allowed ones."""
    promise = move(draft, *PATHS[source])
    with pytest.raises(services.TransitionError) as exc:
        # Admin-like capability is not the point here: use a user who holds it.
        services.promise_transition(promise=promise, to=target, by=bob)
    assert lifecycle.describe_next(source) in str(exc.value)
    promise.refresh_from_db()
    assert promise.state == source


def test_unknown_state_is_refused(draft: Promise, alice: User) -> None:
    with pytest.raises(services.TransitionError, match="can only move to"):
        services.promise_transition(promise=draft, to="published", by=alice)


def test_rejecting_needs_a_counter_proposal(
    draft: Promise, move: Callable[..., Promise], bob: User
) -> None:
    promise = move(draft, "feasibility_review")
    with pytest.raises(ValidationError, match="counter-proposal"):
        review_through(promise, "G1", by=bob, decision="fail")
    promise.refresh_from_db()
    assert promise.state == "feasibility_review"


def test_rejected_returns_to_draft_keeping_the_counter_proposal(
    draft: Promise, move: Callable[..., Promise]
) -> None:
    promise = move(draft, "feasibility_review", "rejected", "draft")
    assert promise.state == "draft"
    assert promise.counter_proposal == "8 business hours"


def test_retired_allows_nothing_more() -> None:
    assert "cannot change any more" in lifecycle.describe_next("retired")
