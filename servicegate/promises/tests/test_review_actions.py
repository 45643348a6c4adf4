"""Gate review actions on the promise page: one "G4 review" action; the review page keeps
its address when a decision is refused."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User

from servicegate.promises.models import GateReview, Promise
from servicegate.promises.tests.conftest import login


def test_one_g4_review_action(quinn: User, draft: Promise, move: Callable[..., Promise]) -> None:
    # given a promise in service
    move(draft, "feasibility_review", "approved", "committed", "in_service")
    client = login(quinn)
    page = client.get(f"/promises/{draft.pk}/").content.decode()
    assert page.count("G4 review") == 1
    assert "Start G4 review" not in page and "Open G4 review" not in page
    # when the quality manager takes it
    response = client.post(f"/promises/{draft.pk}/reviews/G4/open/")
    # then the review is open and the promise under review
    review = GateReview.objects.get(gate__code="G4")
    assert response.url == f"/promises/reviews/{review.pk}/"  # type: ignore[attr-defined]
    draft.refresh_from_db()
    assert draft.state == "under_review"
    # and the same action now leads to the open review
    page = client.get(f"/promises/{draft.pk}/").content.decode()
    assert f'href="/promises/reviews/{review.pk}/" data-testid="review-open-G4"' in page


def test_refused_decision_keeps_the_review_address(
    bob: User, draft: Promise, move: Callable[..., Promise]
) -> None:
    move(draft, "feasibility_review")
    client = login(bob)
    client.post(f"/promises/{draft.pk}/reviews/G1/open/")
    review = GateReview.objects.get()
    url = f"/promises/reviews/{review.pk}/"
    page = client.get(url).content.decode()
    assert f'action="{url}"' in page and 'name="action" value="decide"' in page
    # when a decision is refused, the page with the error is at the review's address
    response = client.post(url, {"action": "decide", "decision": "pass"})
    assert response.status_code == 422
    assert b"cannot be decided yet" in response.content
    # reloading shows the review (no blank 405), also at the old form address
    assert client.get(url).status_code == 200
    old = client.get(f"{url}decide/")
    assert (old.status_code, old.url) == (302, url)  # type: ignore[attr-defined]
    draft.refresh_from_db()
    assert draft.state == "feasibility_review"


def test_only_the_reviews_due_in_the_state_are_offered(
    bob: User, draft: Promise, move: Callable[..., Promise]
) -> None:
    def offered() -> set[str]:
        page = login(bob).get(f"/promises/{draft.pk}/").content.decode()
        return {code for code in ("G1", "G2", "G3", "G4") if f"review-open-{code}" in page}

    # a draft reaches no gate yet; feasibility review is G1's; a committed promise G2 and G3
    assert offered() == set()
    move(draft, "feasibility_review")
    assert offered() == {"G1"}
    move(draft, "approved", "committed")
    assert offered() == {"G2", "G3"}
    # and one in service its G4 review
    move(draft, "in_service")
    assert offered() == {"G4"}
