"""The audit trail records who changed what, when, from which value to which."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from servicegate.promises import services
from servicegate.promises.models import AuditEntry, GateDefinition, Promise
from servicegate.promises.selectors import history, promise_history
from servicegate.promises.tests.conftest import login


def test_create_update_and_transition_are_recorded(
    draft: Promise, alice: User, move: Callable[..., Promise]
) -> None:
    services.promise_update(promise=draft, by=alice, version=1, target_value=Decimal("6"))
    move(draft, "feasibility_review")
    entries = list(history(draft))
    assert [e.action for e in entries] == ["transition", "update", "create"]
    assert entries[1].changes == {"target_value": ["4", "6"]}
    assert entries[1].user == alice
    assert entries[0].changes == {"state": ["draft", "feasibility_review"]}


def test_entries_are_append_only(draft: Promise) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()


def test_gate_definition_changes_are_recorded(quinn: User) -> None:
    gate = GateDefinition.objects.get(code="G2")
    services.gate_definition_update(gate=gate, by=quinn, version=1, name="Handover")
    (entry,) = history(gate)
    assert entry.changes == {"name": ["Handover Sales → Delivery", "Handover"]}


def test_reviews_appear_in_the_promise_history(
    draft: Promise, bob: User, move: Callable[..., Promise]
) -> None:
    move(draft, "feasibility_review")
    review = services.gate_review_open(
        gate=GateDefinition.objects.get(code="G1"), promise=draft, by=bob
    )
    services.evidence_add(review=review, by=bob, kind="text", text="Staffing plan")
    actions = [e.action for e in promise_history(draft)]
    assert "evidence" in actions
    page = login(bob).get(f"/promises/{draft.pk}/").content
    assert b'data-testid="promise-history"' in page
    assert b"Staffing plan" in page
