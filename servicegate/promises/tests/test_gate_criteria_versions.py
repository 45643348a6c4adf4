"""Existing checklist criteria can be changed: a new version of the gate; decided reviews
keep the checklist they were decided under, open reviews move to the new one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from servicegate.promises import services
from servicegate.promises.models import (
    CriterionAnswer,
    GateCriterion,
    GateDefinition,
    GateReview,
    Promise,
)
from servicegate.promises.tests.conftest import login
from servicegate.promises.walkthrough import review_through


def _decided_g1(promise: Promise, bob: User) -> GateReview:
    return review_through(promise, "G1", by=bob)


def test_changed_question_is_a_new_version(
    draft: Promise,
    bob: User,
    quinn: User,
    alice: User,
    promise_data: dict[str, Any],
    move: Callable[..., Promise],
) -> None:
    # given a decided G1 review and an open one on another promise
    move(draft, "feasibility_review")
    decided = _decided_g1(draft, bob)
    other = move(services.promise_create(by=alice, **promise_data), "feasibility_review")
    gate = GateDefinition.objects.get(code="G1")
    open_review = services.gate_review_open(gate=gate, promise=other, by=bob)
    old = gate.criteria.filter(is_active=True).first()
    assert old is not None
    services.gate_review_answer(review=open_review, by=bob, answers={old.pk: ("yes", "ok")})
    version = gate.version
    # when the quality manager rewords the criterion
    new = services.gate_criterion_save(
        gate=gate, by=quinn, criterion=old, question="Is the staffing plan signed?"
    )
    # then a new criterion replaces it in a new version of the gate
    gate.refresh_from_db()
    old.refresh_from_db()
    assert new.pk != old.pk and not old.is_active and gate.version == version + 1
    # the decided review keeps the question it was decided under
    assert CriterionAnswer.objects.get(review=decided, criterion=old).answer == "yes"
    assert not CriterionAnswer.objects.filter(review=decided, criterion=new).exists()
    # the open review now answers the new question, afresh
    moved = CriterionAnswer.objects.get(review=open_review, criterion=new)
    assert (moved.answer, moved.note) == ("", "")


def test_unanswered_criterion_changes_in_place(quinn: User) -> None:
    gate = GateDefinition.objects.get(code="G2")
    criterion = gate.criteria.first()
    assert criterion is not None
    saved = services.gate_criterion_save(gate=gate, by=quinn, criterion=criterion, mandatory=False)
    assert saved.pk == criterion.pk
    assert GateCriterion.objects.get(pk=criterion.pk).mandatory is False


def test_criterion_edited_on_the_gate_page(quinn: User) -> None:
    gate = GateDefinition.objects.get(code="G3")
    criterion = gate.criteria.first()
    assert criterion is not None
    client = login(quinn)
    page = client.get(f"/promises/gates/{gate.pk}/?criterion={criterion.pk}").content.decode()
    assert f'name="criterion-id" value="{criterion.pk}"' in page
    assert criterion.question in page
    response = client.post(
        f"/promises/gates/{gate.pk}/",
        {
            "criterion-id": criterion.pk,
            "criterion-order": criterion.order,
            "criterion-question": "Are all assets registered with serial numbers?",
            "criterion-required_evidence": "",
            "criterion-mandatory": "on",
            "criterion-is_active": "on",
        },
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.question == "Are all assets registered with serial numbers?"
    assert gate.criteria.count() == GateDefinition.objects.get(code="G3").criteria.count()
