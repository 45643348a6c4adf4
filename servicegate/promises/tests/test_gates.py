"""Quality gates: defaults, reviews, decisions that move the promise, gate editing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from servicegate.promises import selectors, services
from servicegate.promises.models import GateDefinition, GateReview, Promise
from servicegate.promises.tests.conftest import login


def _open(code: str, promise: Promise, by: User) -> GateReview:
    return services.gate_review_open(
        gate=GateDefinition.objects.get(code=code), promise=promise, by=by
    )


def _g1(promise: Promise, by: User) -> GateReview:
    return _open("G1", promise, by)


def _complete(review: GateReview, by: User) -> None:
    services.gate_review_answer(
        review=review, by=by, answers={a.criterion_id: ("yes", "") for a in review.answers.all()}
    )
    services.evidence_add(
        review=review, by=by, kind="link", url="https://wiki.example.com/attainment"
    )


def test_four_default_gates_with_criteria(db: None) -> None:
    gates = {g.code: g for g in GateDefinition.objects.all()}
    assert list(gates) == ["G1", "G2", "G3", "G4"]
    assert gates["G1"].owner_role == "service_manager"
    assert gates["G4"].owner_role == "quality_manager"
    assert all(g.criteria.filter(mandatory=True).exists() for g in gates.values())


def test_g1_pass_approves(draft: Promise, bob: User, move: Callable[..., Promise]) -> None:
    move(draft, "feasibility_review")
    review = _g1(draft, bob)
    _complete(review, bob)
    services.gate_review_decide(review=review, decision="pass", by=bob)
    draft.refresh_from_db()
    assert draft.state == "approved"


def test_g1_pass_with_conditions_needs_conditions(
    draft: Promise, bob: User, move: Callable[..., Promise]
) -> None:
    move(draft, "feasibility_review")
    review = _g1(draft, bob)
    _complete(review, bob)
    with pytest.raises(ValidationError) as exc:
        services.gate_review_decide(review=review, decision="pass_with_conditions", by=bob)
    assert "conditions" in exc.value.message_dict
    services.gate_review_decide(
        review=review, decision="pass_with_conditions", by=bob, conditions="Add one technician"
    )
    draft.refresh_from_db()
    assert draft.state == "approved"


def test_g1_fail_rejects_with_counter_proposal(
    draft: Promise, bob: User, move: Callable[..., Promise]
) -> None:
    move(draft, "feasibility_review")
    review = _g1(draft, bob)
    with pytest.raises(ValidationError):
        services.gate_review_decide(review=review, decision="fail", by=bob)
    services.gate_review_decide(
        review=review, decision="fail", by=bob, counter_proposal="95 % within 8 business hours"
    )
    draft.refresh_from_db()
    assert draft.state == "rejected"
    assert draft.counter_proposal == "95 % within 8 business hours"


def test_pass_is_blocked_by_unanswered_mandatory_criteria(
    draft: Promise, bob: User, move: Callable[..., Promise]
) -> None:
    move(draft, "feasibility_review")
    review = _g1(draft, bob)
    blockers = selectors.review_blockers(review)
    assert any("Mandatory criterion" in b for b in blockers)
    assert "No evidence attached yet." in blockers
    with pytest.raises(ValidationError, match="cannot pass yet"):
        services.gate_review_decide(review=review, decision="pass", by=bob)


def test_decided_review_cannot_be_decided_again(
    draft: Promise, bob: User, move: Callable[..., Promise]
) -> None:
    move(draft, "feasibility_review")
    review = _g1(draft, bob)
    services.gate_review_decide(review=review, decision="fail", by=bob, counter_proposal="x")
    with pytest.raises(services.TransitionError, match="already decided"):
        services.gate_review_decide(review=review, decision="fail", by=bob, counter_proposal="y")


def test_maker_cannot_review_and_sales_cannot_open(
    draft: Promise, alice: User, anna: User, move: Callable[..., Promise]
) -> None:
    move(draft, "feasibility_review")
    with pytest.raises(PermissionDenied):
        _g1(draft, alice)
    with pytest.raises(PermissionDenied):
        _g1(draft, anna)


def test_g4_review_needs_run_review(
    draft: Promise, quinn: User, bob: User, move: Callable[..., Promise]
) -> None:
    g4 = GateDefinition.objects.get(code="G4")
    review = services.gate_review_open(gate=g4, promise=draft, by=quinn)
    assert review.gate.code == "G4"


def test_only_define_gates_edits_gates(bob: User, quinn: User) -> None:
    gate = GateDefinition.objects.get(code="G1")
    with pytest.raises(PermissionDenied):
        services.gate_definition_update(gate=gate, by=bob, version=1, name="x")
    assert login(bob).get(f"/promises/gates/{gate.pk}/").status_code == 403
    client = login(quinn)
    assert client.get(f"/promises/gates/{gate.pk}/").status_code == 200
    client.post(
        f"/promises/gates/{gate.pk}/",
        {
            "criterion-question": "Escalation path agreed?",
            "criterion-order": 9,
            "criterion-mandatory": "on",
            "criterion-is_active": "on",
        },
    )
    assert gate.criteria.filter(question="Escalation path agreed?").exists()


def test_stale_gate_edit_is_refused(quinn: User) -> None:
    gate = GateDefinition.objects.get(code="G3")
    services.gate_definition_update(gate=gate, by=quinn, version=1, name="Start")
    with pytest.raises(services.ConcurrentEditError):
        services.gate_definition_update(gate=gate, by=quinn, version=1, name="Go")


def _review(code: str, promise: Promise, by: User) -> GateReview:
    review = _open(code, promise, by)
    _complete(review, by)
    return review


def test_a_passed_g3_starts_the_service(
    draft: Promise, bob: User, move: Callable[..., Promise]
) -> None:
    promise = move(draft, "feasibility_review", "approved", "committed")
    review = _review("G3", promise, bob)
    services.gate_review_decide(review=review, decision="pass", by=bob)
    promise.refresh_from_db()
    assert promise.state == "in_service"


def test_a_failed_g3_leaves_the_promise_committed(
    draft: Promise, bob: User, move: Callable[..., Promise]
) -> None:
    promise = move(draft, "feasibility_review", "approved", "committed")
    review = _review("G3", promise, bob)
    services.gate_review_decide(
        review=review, decision="fail", by=bob, counter_proposal="Register the assets first"
    )
    promise.refresh_from_db()
    assert promise.state == "committed"


@pytest.mark.parametrize(("decision", "state"), [("pass", "in_service"), ("fail", "under_review")])
def test_g4_keeps_a_promise_in_service_or_leaves_it_under_review(
    draft: Promise,
    quinn: User,
    move: Callable[..., Promise],
    decision: str,
    state: str,
) -> None:
    promise = move(draft, "feasibility_review", "approved", "committed", "in_service")
    promise = move(promise, "under_review")
    review = _review("G4", promise, quinn)
    services.gate_review_decide(
        review=review, decision=decision, by=quinn, counter_proposal="Promise 8 hours"
    )
    promise.refresh_from_db()
    assert promise.state == state


def test_a_passed_g2_moves_nothing(draft: Promise, bob: User, move: Callable[..., Promise]) -> None:
    promise = move(draft, "feasibility_review", "approved")
    review = _review("G2", promise, bob)
    services.gate_review_decide(review=review, decision="pass", by=bob)
    promise.refresh_from_db()
    assert promise.state == "approved"  # committing stays Sales' step
