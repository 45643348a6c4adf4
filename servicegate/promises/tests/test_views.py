"""Promise pages: role boundaries, the sales → G1 → approval flow, buttons shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.conftest import RoleMatrix
from servicegate.promises.models import GateReview, Promise
from servicegate.promises.tests.conftest import login


@pytest.mark.parametrize(
    "url", ["/promises/", "/promises/board/", "/promises/gates/", "/promises/contracts/"]
)
def test_viewer_can_read_pages(victor: User, draft: Promise, url: str) -> None:
    assert login(victor).get(url).status_code == 200


def test_viewer_sees_promise_without_buttons(victor: User, draft: Promise) -> None:
    response = login(victor).get(f"/promises/{draft.pk}/")
    assert response.status_code == 200
    assert b'data-testid="no-transitions"' in response.content
    assert b"Clocks run once the promise is committed." in response.content


def test_only_sales_and_admin_open_the_new_form(role_matrix: RoleMatrix) -> None:
    role_matrix("/promises/new/", {"alice": 200, "ada": 200, "*": 403})


def test_viewer_post_transition_changes_nothing(victor: User, draft: Promise) -> None:
    response = login(victor).post(f"/promises/{draft.pk}/transition/", {"to": "feasibility_review"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_sales_sees_submit_but_not_approve(
    alice: User, draft: Promise, move: Callable[..., Promise]
) -> None:
    client = login(alice)
    assert (
        b'data-testid="transition-feasibility_review"'
        in client.get(f"/promises/{draft.pk}/").content
    )
    move(draft, "feasibility_review")
    page = client.get(f"/promises/{draft.pk}/").content
    assert b'data-testid="transition-approved"' not in page
    client.post(f"/promises/{draft.pk}/transition/", {"to": "approved"})
    draft.refresh_from_db()
    assert draft.state == "feasibility_review"


def test_sales_to_g1_to_approval_flow(alice: User, bob: User, promise_data: dict[str, Any]) -> None:
    """Sales proposes and submits; the service manager reviews G1 and passes it."""
    sales, manager = login(alice), login(bob)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in promise_data.items()}
    data |= {"valid_from": "2026-01-01", "reopen_behaviour": "resume"}
    response = sales.post("/promises/new/", data)
    assert response.status_code == 302, response.content
    promise = Promise.objects.get()
    sales.post(
        f"/promises/{promise.pk}/transition/", {"to": "feasibility_review", "comment": "A-1"}
    )
    # the manager opens the G1 review, answers, adds evidence and passes it
    page = manager.get(f"/promises/{promise.pk}/").content
    assert b'data-testid="review-open-G1"' in page
    response = manager.post(f"/promises/{promise.pk}/reviews/G1/open/")
    review = GateReview.objects.get()
    assert response["Location"] == f"/promises/reviews/{review.pk}/"
    answers = {f"answer-{a.criterion_id}": "yes" for a in review.answers.all()}
    manager.post(f"/promises/reviews/{review.pk}/answers/", answers)
    for a in review.answers.all():
        manager.post(
            f"/promises/reviews/{review.pk}/evidence/",
            {"kind": "text", "text": "97 % last year", "criterion": a.criterion_id},
        )
    response = manager.post(
        f"/promises/reviews/{review.pk}/decide/", {"decision": "pass", "comments": "Feasible"}
    )
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.state == "approved"


def test_decision_without_answers_shows_blockers(
    bob: User, draft: Promise, move: Callable[..., Promise]
) -> None:
    move(draft, "feasibility_review")
    client = login(bob)
    client.post(f"/promises/{draft.pk}/reviews/G1/open/")
    review = GateReview.objects.get()
    response = client.post(f"/promises/reviews/{review.pk}/decide/", {"decision": "pass"})
    assert response.status_code == 422
    assert b"cannot be decided yet" in response.content
    draft.refresh_from_db()
    assert draft.state == "feasibility_review"


def test_maker_is_not_offered_a_gate_review(alice: User, draft: Promise) -> None:
    page = login(alice).get(f"/promises/{draft.pk}/").content
    assert b"review-open-G1" not in page


def test_german_page(alice: User, draft: Promise) -> None:
    """The promise page speaks German (needs the compiled catalogue, as in the release)."""
    from pathlib import Path

    mo = Path(__file__).parents[1] / "locale/de/LC_MESSAGES/django.mo"
    if not mo.exists():
        pytest.skip("German catalogue not compiled (run compilemessages).")
    response = login(alice).get(f"/promises/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "Zur Prüfung an G1" in response.content.decode()
