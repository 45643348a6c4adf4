"""G1 evidence: the feasibility result replays the promise's own terms over its scope's
tickets, the verdict weighs that replay, and the G1 panel shows it beside the queueing
result with a what-if form for a counter-proposal."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from pytest_django import DjangoAssertNumQueries

from servicegate.planning.feasibility import feasibility_report, replay_status, weigh_replay
from servicegate.planning.services import feasibility_attach
from servicegate.planning.tests.conftest import login
from servicegate.promises.models import GateReview, Promise


@pytest.fixture
def loaded(team: Callable[[int], list[object]], tickets: Callable[..., int]) -> None:
    team(10)
    tickets(50)  # 400 P2 incidents over 8 weeks, each answered after 10 minutes


def test_the_report_replays_the_promise_s_own_terms(promise: Promise, loaded: None) -> None:
    report = feasibility_report(promise)
    replayed = report.history_replay
    assert replayed is not None
    assert (replayed["n"], replayed["met"], replayed["rate"]) == (400, 400, 1.0)
    assert replayed["status"] == "supports" and replayed["kept"] is True
    assert sum(p["n"] for p in replayed["periods"]) == 400  # per month
    assert report.assessment.verdict == "green"
    assert report.to_dict()["assessment"]["history_replay"] == replayed


def test_a_replay_that_contradicts_makes_the_verdict_red(
    promise: Promise, g1_review: GateReview, bob: User, loaded: None
) -> None:
    """Answers within 3 minutes: today's team could give them, history never did."""
    # given
    promise.target_value = Decimal("0.05")
    promise.save(update_fields=["target_value"])
    # when
    result = feasibility_attach(promise=promise, by=bob)
    # then
    replayed = result.result["history_replay"]
    assert (replayed["n"], replayed["met"], replayed["status"]) == (400, 0, "contradicts")
    assert result.verdict == "red" == result.result["verdict"]
    html = login(bob).get(f"/planning/promises/{promise.pk}/feasibility/").text
    assert "red: the history contradicts it" in html
    assert "This replay contradicts the promise, which makes the verdict red." in html


def test_weighing() -> None:
    assert replay_status(0, None, 0.0, 0.9) == "none"
    assert replay_status(100, 0.95, 0.98, 0.9) == "supports"
    assert replay_status(100, 0.85, 0.92, 0.9) == "uncertain"
    assert replay_status(100, 0.80, 0.87, 0.9) == "contradicts"
    assert [weigh_replay(v, "uncertain") for v in ("green", "amber", "red")] == [
        "amber",
        "amber",
        "red",
    ]
    assert [weigh_replay(v, "contradicts") for v in ("green", "amber")] == ["red", "red"]
    assert [weigh_replay(v, "supports") for v in ("green", "amber")] == ["green", "amber"]


def test_without_tickets_the_report_says_why(
    promise: Promise, team: Callable[[int], list[object]], tickets: Callable[..., int]
) -> None:
    team(10)
    tickets(50, priority="P1")  # none in the P2 promise's scope
    report = feasibility_report(promise, extra_arrivals_per_week=10)
    assert report.history_replay is None
    assert "No ticket in this promise's scope was opened" in report.history_replay_note


def test_the_g1_panel_shows_the_replay_and_the_what_if_form(
    promise: Promise, g1_review: GateReview, bob: User, loaded: None
) -> None:
    client = login(bob)
    html = client.get(
        f"/planning/promises/{promise.pk}/feasibility/", headers={"HX-Request": "true"}
    ).text
    assert 'data-testid="feasibility-replay" data-status="supports"' in html
    assert "400 of 400 kept" in html
    assert 'data-testid="g1-whatif-form"' in html and 'name="stop_statuses"' in html
    # when the decider tries a counter-proposal: 3 minutes
    fragment = client.get(
        f"/measurement/promises/{promise.pk}/replay/",
        {
            "terms": "1",
            "target_value": "3",
            "target_unit": "minutes",
            "calendar": str(promise.calendar_id),
            "reopen": "resume",
        },
        headers={"HX-Request": "true"},
    ).text
    # then the fragment gives the replayed figures, nothing else
    assert "<html" not in fragment
    assert "Kept on 0.0 % of tickets (0 of 400 decided" in fragment


@pytest.mark.parametrize("per_week", [20, 100])
def test_the_replay_page_reads_a_fixed_number_of_queries(
    promise: Promise,
    bob: User,
    tickets: Callable[..., int],
    per_week: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    tickets(per_week)
    client = login(bob)
    with django_assert_max_num_queries(22):
        page = client.get(f"/measurement/promises/{promise.pk}/replay/?period=week")
    assert page.status_code == 200 and "replay-periods" in page.text
