"""Attaching the feasibility to the open G1 review, and who may do it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from servicegate.conftest import RoleMatrix
from servicegate.planning.models import FeasibilityResult
from servicegate.planning.services import feasibility_attach
from servicegate.planning.tests.conftest import login
from servicegate.promises.models import Evidence, GateReview, Promise


@pytest.fixture
def loaded(team: Callable[[int], list[object]], tickets: Callable[..., int]) -> None:
    team(10)
    tickets(50)


def test_attach_stores_the_result_and_adds_text_evidence_to_g1(
    promise: Promise, g1_review: GateReview, bob: User, loaded: None
) -> None:
    result = feasibility_attach(promise=promise, by=bob, extra_arrivals_per_week=5)
    assert result.review == g1_review
    assert result.verdict == "green"
    assert result.inputs["extra_arrivals_per_week"] == 5
    assert set(result.result) >= {"verdict", "probability_met", "staffing_needed"}
    evidence = Evidence.objects.get(review=g1_review)
    assert evidence.kind == "text"
    assert "Feasibility check: GREEN." in evidence.text
    assert f"#{result.pk}" in evidence.text
    assert evidence.added_by == bob


def test_without_an_open_g1_review_the_result_is_stored_unattached(
    promise: Promise, bob: User, loaded: None
) -> None:
    result = feasibility_attach(promise=promise, by=bob)
    assert result.review is None
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("who", ["victor", "alice", "carol"])
def test_viewer_sales_and_technician_may_not_attach(
    request: pytest.FixtureRequest,
    who: str,
    promise: Promise,
    g1_review: GateReview,
    loaded: None,
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        feasibility_attach(promise=promise, by=user)
    assert not FeasibilityResult.objects.exists()


def test_panel_post_recomputes_and_attaches_via_htmx(
    promise: Promise, g1_review: GateReview, bob: User, loaded: None
) -> None:
    response = login(bob).post(
        f"/planning/promises/{promise.pk}/feasibility/",
        {"extra_per_week": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-verdict="green"' in html
    assert "attached to the G1 review" in html
    assert Evidence.objects.filter(review=g1_review).count() == 1


def test_panel_post_is_forbidden_without_decide_gate_or_plan_capacity(
    role_matrix: RoleMatrix, promise: Promise, g1_review: GateReview, loaded: None
) -> None:
    url = f"/planning/promises/{promise.pk}/feasibility/"
    role_matrix(
        url, {"victor": 403, "alice": 403, "carol": 403, "dana": 403}, method="post", data={}
    )
    assert not Evidence.objects.exists()


def test_panel_get_shows_verdict_figures_and_no_button_for_a_viewer(
    promise: Promise, victor: User, loaded: None
) -> None:
    html = (
        login(victor)
        .get(f"/planning/promises/{promise.pk}/feasibility/", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert 'data-testid="feasibility-verdict"' in html
    assert 'data-testid="feasibility-p-met"' in html
    assert 'data-testid="feasibility-needed"' in html
    assert "no history of comparable promises" in html
    assert "Computed now; not stored yet." in html
    assert 'data-testid="feasibility-recompute"' not in html


def test_panel_shows_the_sentence_when_the_check_cannot_run(promise: Promise, victor: User) -> None:
    html = login(victor).get(f"/planning/promises/{promise.pk}/feasibility/").content.decode()
    assert "no active technician" in html
    assert "<html" in html  # without HTMX the panel is a page of its own


def test_promise_and_review_pages_include_the_panel(
    promise: Promise, g1_review: GateReview, bob: User
) -> None:
    client = login(bob)
    url = f"/planning/promises/{promise.pk}/feasibility/"
    assert url in client.get(f"/promises/{promise.pk}/").content.decode()
    assert url in client.get(f"/promises/reviews/{g1_review.pk}/").content.decode()
