"""Gates are the only way through: every shortcut around a gate is refused, in the API
and in the UI, with one sentence naming the gate and what is missing; nothing changes
state on a refusal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.planning.models import FeasibilityResult
from servicegate.promises.models import AuditEntry, GateDefinition, GateReview, Promise
from servicegate.promises.tests.conftest import api_client, login
from servicegate.promises.walkthrough import review_through


def _post(user: User, url: str, data: dict[str, Any]) -> Any:
    return api_client(user).post(url, json.dumps(data), content_type="application/json")


def _step(user: User, promise: Promise, to: str, **extra: Any) -> Any:
    return _post(user, f"/api/v1/promises/{promise.pk}/transitions", {"to": to, **extra})


def _review(user: User, promise: Promise, **body: Any) -> Any:
    return _post(user, f"/api/v1/promises/{promise.pk}/reviews", body)


def _unchanged(promise: Promise) -> None:
    state, version = promise.state, promise.version
    promise.refresh_from_db()
    assert (promise.state, promise.version) == (state, version)


def _criteria(code: str) -> dict[int, str]:
    return {c.pk: "yes" for c in GateDefinition.objects.get(code=code).criteria.all()}


@pytest.mark.parametrize("to", ["approved", "rejected"])
def test_approve_or_reject_as_a_plain_step_is_refused(
    draft: Promise, move: Callable[..., Promise], bob: User, to: str
) -> None:
    promise = move(draft, "feasibility_review")
    response = _step(bob, promise, to, counter_proposal="8 hours")
    assert response.status_code == 409
    assert "G1" in response.json()["detail"]
    _unchanged(promise)


def test_start_service_as_a_plain_step_names_the_missing_gates(
    draft: Promise, move: Callable[..., Promise], bob: User
) -> None:
    promise = move(draft, "feasibility_review", "approved", "committed")
    response = _step(bob, promise, "in_service")
    assert response.status_code == 409
    assert "G2, G3" in response.json()["detail"]
    review_through(promise, "G2", by=bob)
    response = _step(bob, promise, "in_service")
    assert response.status_code == 409
    assert "missing: G3" in response.json()["detail"]
    _unchanged(promise)


def test_g3_cannot_pass_before_g2(draft: Promise, move: Callable[..., Promise], bob: User) -> None:
    promise = move(draft, "feasibility_review", "approved", "committed")
    response = _review(
        bob,
        promise,
        gate="G3",
        answers=_criteria("G3"),
        evidence={k: "Asset register" for k in _criteria("G3")},
        decision="pass",
    )
    assert response.status_code == 409
    assert "G2" in response.json()["detail"]
    assert not GateReview.objects.filter(gate__code="G3").exists()  # all or nothing
    _unchanged(promise)


def test_keep_and_retire_need_a_decided_g4(
    draft: Promise, move: Callable[..., Promise], quinn: User
) -> None:
    promise = move(draft, "feasibility_review", "approved", "committed", "in_service")
    promise = move(promise, "under_review")
    for to in ("in_service", "retired"):
        response = _step(quinn, promise, to)
        assert response.status_code == 409
        assert "G4" in response.json()["detail"]
    _unchanged(promise)
    review_through(promise, "G4", by=quinn, decision="fail", counter_proposal="Relax to 90 %.")
    response = _step(quinn, promise, "retired")
    assert response.status_code == 200
    assert response.json()["state"] == "retired"


def test_a_review_is_decided_only_with_its_checklist_and_evidence(
    draft: Promise, move: Callable[..., Promise], bob: User
) -> None:
    promise = move(draft, "feasibility_review")
    criteria = _criteria("G1")
    evidence = {k: "Attainment report" for k in criteria}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"answers": {}, "evidence_text": "x"}, "Mandatory criterion not answered"),
        ({"answers": criteria}, "Attach the evidence"),
        (
            {"answers": {**criteria, next(iter(criteria)): "na"}, "evidence": evidence},
            "needs a note",
        ),
    ]
    for body, sentence in cases:
        response = _review(bob, promise, gate="G1", decision="pass", **body)
        assert response.status_code == 422, response.content
        assert sentence in response.json()["detail"]
        _unchanged(promise)
    assert not GateReview.objects.exists()
    first = next(iter(criteria))
    response = _review(
        bob,
        promise,
        gate="G1",
        answers={**criteria, first: "na"},
        notes={first: "No stock needed: remote only."},
        evidence={k: v for k, v in evidence.items() if k != first},
        decision="pass",
    )
    assert response.status_code == 201, response.content
    promise.refresh_from_db()
    assert promise.state == "approved"


def test_passing_g1_against_a_red_verdict_needs_an_override_reason(
    draft: Promise, move: Callable[..., Promise], bob: User, alice: User
) -> None:
    promise = move(draft, "feasibility_review")
    FeasibilityResult.objects.create(promise=promise, verdict="red", result={}, inputs={})
    criteria = _criteria("G1")
    body = {"gate": "G1", "answers": criteria, "evidence": {k: "ok" for k in criteria}}
    response = _review(bob, promise, decision="pass", **body)
    assert response.status_code == 422
    assert "override_reason" in response.json()["errors"]
    _unchanged(promise)
    reason = "Two technicians join in March; the gap closes before the offer starts."
    response = _review(bob, promise, decision="pass", override_reason=reason, **body)
    assert response.status_code == 201, response.content
    assert response.json()["override_reason"] == reason
    promise.refresh_from_db()
    assert promise.state == "approved"
    # kept in the history and shown on the promise page
    assert AuditEntry.objects.filter(comment__contains=reason).exists()
    page = login(alice).get(f"/promises/{promise.pk}/").content.decode()
    assert reason in page


def test_stale_versions_are_refused(
    draft: Promise, move: Callable[..., Promise], alice: User, bob: User
) -> None:
    response = _step(alice, draft, "feasibility_review", version=draft.version + 5)
    assert response.status_code == 409
    _unchanged(draft)
    promise = move(draft, "feasibility_review")
    criteria = _criteria("G1")
    response = _review(
        bob,
        promise,
        gate="G1",
        answers=criteria,
        evidence={k: "ok" for k in criteria},
        decision="pass",
        version=promise.version - 1,
    )
    assert response.status_code == 409
    assert "Reload" in response.json()["detail"]
    _unchanged(promise)


def test_foreign_roles_are_403(
    draft: Promise, move: Callable[..., Promise], alice: User, victor: User
) -> None:
    promise = move(draft, "feasibility_review")
    assert _review(alice, promise, gate="G1").status_code == 403  # the maker: four eyes
    assert _review(victor, promise, gate="G1").status_code == 403
    assert _step(victor, promise, "approved").status_code == 403
    _unchanged(promise)


def test_the_ui_offers_no_gate_shortcut_and_refuses_one(
    draft: Promise, move: Callable[..., Promise], bob: User
) -> None:
    promise = move(draft, "feasibility_review")
    client = login(bob)
    page = client.get(f"/promises/{promise.pk}/").content.decode()
    assert 'data-testid="transition-approved"' not in page
    response = client.post(f"/promises/{promise.pk}/transition/", {"to": "approved"}, follow=True)
    assert "G1" in response.content.decode()
    _unchanged(promise)
    client.post(f"/promises/{promise.pk}/reviews/G1/open/")
    review = GateReview.objects.get()
    form = client.get(f"/promises/reviews/{review.pk}/").content.decode()
    decision = form.split('id="id_decision"')[1].split("</select>")[0]
    assert '<option value="" selected>' in decision  # no decision preselected
    assert 'value="pass" selected' not in decision
