"""G1 evidence is about this promise: comparable promises are others with the same metric
and an intersecting scope, their tickets judged against this promise's own target; the
feasibility answer lists the overlapping live promises."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import User

from servicegate.planning.feasibility import feasibility_report
from servicegate.planning.services import feasibility_attach
from servicegate.planning.tests.conftest import api_client, login
from servicegate.promises.models import GateReview, Promise
from servicegate.promises.overlaps import overlapping


def _twin(promise: Promise, **fields: object) -> Promise:
    twin = Promise.objects.get(pk=promise.pk)
    twin.pk = None
    for name, value in {"state": "in_service", **fields}.items():
        setattr(twin, name, value)
    twin.save()
    return twin


def test_history_judges_this_promises_target_not_the_comparables(
    promise: Promise, team: Callable[[int], list[object]], tickets: Callable[..., int]
) -> None:
    # given an 8-hour promise in service and tickets answered after 10 minutes
    _twin(promise, target_value=Decimal("8"))
    team(10)
    tickets(50)
    # when a 5-minute promise with the same scope is checked
    promise.target_value = Decimal("5")
    promise.target_unit = "minutes"
    promise.save()
    report = feasibility_report(promise)
    # then the 8-hour promise's "100 % met" is not presented as this promise's history
    assert report.inputs.comparable_promises == 1
    assert report.assessment.history_tickets == 400
    assert report.assessment.history_attainment == 0.0


def test_the_promise_itself_and_other_scopes_are_never_comparable(
    promise: Promise, product: object
) -> None:
    assert list(overlapping(promise)) == []
    other_priority = _twin(promise, priority="P1")
    every_priority = _twin(promise, priority="")
    other_metric = _twin(promise, metric="resolution")
    draft = _twin(promise, state="draft")
    found = set(overlapping(promise))
    assert every_priority in found
    assert not {other_priority, other_metric, draft, promise} & found


def test_feasibility_answer_lists_overlapping_live_promises(
    promise: Promise,
    team: Callable[[int], list[object]],
    tickets: Callable[..., int],
    bob: User,
) -> None:
    committed = _twin(promise, state="committed")
    in_service = _twin(promise, target_value=Decimal("8"))
    _twin(promise, state="retired")
    team(3)
    tickets(20)
    body = api_client(bob).get(f"/api/v1/promises/{promise.pk}/feasibility").json()
    assert body["overlaps"] == [committed.pk, in_service.pk]


def test_the_g1_page_warns_about_overlaps(
    promise: Promise, g1_review: GateReview, team: Callable[[int], list[object]], bob: User
) -> None:
    team(3)
    twin = _twin(promise)
    page = login(bob).get(f"/promises/reviews/{g1_review.pk}/").content.decode()
    assert 'data-testid="feasibility-panel"' in page
    panel = login(bob).get(f"/planning/promises/{promise.pk}/feasibility/", HTTP_HX_REQUEST="true")
    assert 'data-testid="feasibility-overlaps"' in panel.content.decode()
    assert f"#{twin.pk}" in panel.content.decode()


def test_generated_evidence_is_rendered_in_the_readers_language(
    promise: Promise, g1_review: GateReview, team: Callable[[int], list[object]], bob: User
) -> None:
    # given feasibility evidence attached by an English-speaking manager
    team(3)
    result = feasibility_attach(promise=promise, by=bob, extra_arrivals_per_week=20)
    assert result.evidence is not None
    assert result.evidence.text.startswith("Feasibility check")
    # when a German reader opens the G1 review
    page = login(bob).get(f"/promises/reviews/{g1_review.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    # then the sentence is German, with German numbers
    assert "Machbarkeitsprüfung:" in html
    assert "Erwartete Tickets: 0,0 pro Woche (+20,0 zusätzlich)" in html
    assert "Feasibility check" not in html
