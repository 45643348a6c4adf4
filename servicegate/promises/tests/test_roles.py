"""Role boundaries of the services: who may propose, decide and review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from servicegate.accounts import roles
from servicegate.promises import services
from servicegate.promises.models import Promise


@pytest.mark.parametrize("who", ["carol", "victor", "bob", "quinn"])
def test_only_sales_can_create_promises(
    request: pytest.FixtureRequest, who: str, promise_data: dict[str, Any]
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.promise_create(by=user, **promise_data)
    assert not Promise.objects.exists()


def test_sales_cannot_approve(draft: Promise, move: Callable[..., Promise], anna: User) -> None:
    """Another sales rep (not the maker) lacks decide_gate."""
    promise = move(draft, "feasibility_review")
    with pytest.raises(PermissionDenied, match="Your role may not"):
        services.promise_transition(promise=promise, to="approved", by=anna)


def test_maker_never_decides_her_own_gate_even_with_the_role(
    make_user: Callable[[str, str], User], promise_data: dict[str, Any]
) -> None:
    """Four eyes: an administrator who made the promise cannot approve it."""
    admin = make_user("root", roles.ADMIN)
    promise = services.promise_create(by=admin, **promise_data)
    promise = services.promise_transition(promise=promise, to="feasibility_review", by=admin)
    with pytest.raises(PermissionDenied, match="four eyes"):
        services.promise_transition(promise=promise, to="approved", by=admin)


def test_technician_cannot_submit(draft: Promise, carol: User) -> None:
    with pytest.raises(PermissionDenied):
        services.promise_transition(promise=draft, to="feasibility_review", by=carol)


def test_service_manager_cannot_submit_for_sales(draft: Promise, bob: User) -> None:
    with pytest.raises(PermissionDenied):
        services.promise_transition(promise=draft, to="feasibility_review", by=bob)


def test_viewer_cannot_review(draft: Promise, move: Callable[..., Promise], victor: User) -> None:
    promise = move(draft, "feasibility_review", "approved", "committed", "in_service")
    with pytest.raises(PermissionDenied):
        services.promise_transition(promise=promise, to="under_review", by=victor)


def test_technician_cannot_edit(draft: Promise, carol: User) -> None:
    with pytest.raises(PermissionDenied):
        services.promise_update(promise=draft, by=carol, version=draft.version, title="x")
