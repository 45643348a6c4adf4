"""A second save with a stale version is refused, never silently lost."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.promises import services
from servicegate.promises.models import Promise
from servicegate.promises.tests.conftest import login


def test_stale_version_is_refused(draft: Promise, alice: User, anna: User) -> None:
    services.promise_update(promise=draft, by=alice, version=1, target_value=Decimal("6"))
    with pytest.raises(services.ConcurrentEditError, match="Someone else changed"):
        services.promise_update(promise=draft, by=anna, version=1, target_value=Decimal("2"))
    draft.refresh_from_db()
    assert draft.target_value == Decimal("6")
    assert draft.version == 2


def test_edit_form_refuses_stale_version(
    draft: Promise, alice: User, anna: User, promise_data: dict[str, Any]
) -> None:
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in promise_data.items()}
    data |= {"valid_from": "2026-01-01", "reopen_behaviour": "resume", "version": 1}
    first = login(alice).post(f"/promises/{draft.pk}/edit/", data | {"target_value": "6"})
    assert first.status_code == 302
    second = login(anna).post(f"/promises/{draft.pk}/edit/", data | {"target_value": "2"})
    assert second.status_code == 200
    assert b"Someone else changed this promise" in second.content
    draft.refresh_from_db()
    assert draft.target_value == Decimal("6")


def test_promise_in_service_cannot_be_edited(draft: Promise, alice: User, move: Any) -> None:
    move(draft, "feasibility_review", "approved")
    with pytest.raises(services.TransitionError, match="Only draft or rejected"):
        services.promise_update(promise=draft, by=alice, version=3, title="x")
