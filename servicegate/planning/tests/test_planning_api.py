"""The planning API: promise feasibility (GET computes, POST attaches) and Erlang staffing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.conftest import RoleMatrix
from servicegate.planning.models import FeasibilityResult
from servicegate.planning.tests.conftest import api_client
from servicegate.promises.models import Evidence, GateReview, Promise


@pytest.fixture
def loaded(team: Callable[[int], list[object]], tickets: Callable[..., int]) -> None:
    team(10)
    tickets(50)


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_get_computes_and_stores_nothing(promise: Promise, victor: User, loaded: None) -> None:
    response = api_client(victor).get(f"/api/v1/promises/{promise.pk}/feasibility?extra_per_week=2")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assessment"]["verdict"] == "green"
    assert body["inputs"]["extra_arrivals_per_week"] == 2
    assert not FeasibilityResult.objects.exists()


def test_get_of_an_unknown_promise_is_404(victor: User) -> None:
    assert api_client(victor).get("/api/v1/promises/999/feasibility").status_code == 404


def test_get_that_cannot_be_computed_is_422_with_the_sentence(
    promise: Promise, victor: User
) -> None:
    response = api_client(victor).get(f"/api/v1/promises/{promise.pk}/feasibility")
    assert response.status_code == 422
    assert "no active technician" in response.json()["detail"]


def test_post_attaches_to_the_open_g1_review(
    promise: Promise, g1_review: GateReview, bob: User, loaded: None
) -> None:
    response = _post(
        api_client(bob), f"/api/v1/promises/{promise.pk}/feasibility", {"extra_per_week": 1}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["review"] == g1_review.pk
    assert body["verdict"] == "green"
    assert Evidence.objects.filter(review=g1_review).count() == 1


def test_post_is_403_without_the_capability(
    role_matrix: RoleMatrix, promise: Promise, g1_review: GateReview, loaded: None
) -> None:
    url = f"/api/v1/promises/{promise.pk}/feasibility"
    denied = {"victor": 403, "alice": 403, "carol": 403, "dana": 403}
    role_matrix(url, denied, method="post", data={}, api=True)
    assert not FeasibilityResult.objects.exists()


def test_erlang_staffing_solves_the_textbook_case(victor: User) -> None:
    response = _post(
        api_client(victor),
        "/api/v1/staffing/erlang",
        {
            "arrivals": 100,
            "interval_seconds": 1800,
            "aht_seconds": 180,
            "target_service_level": 0.8,
            "answer_within_seconds": 20,
            "shrinkage": 0.3,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["agents"], body["positions"]) == (14, 20)
    assert body["service_level"] == pytest.approx(0.888350, abs=1e-6)
    assert len(body["curve"]) > 5


@pytest.mark.parametrize(
    ("over", "sentence"),
    [
        ({"aht_seconds": 0}, "must be a positive number"),
        ({"target_service_level": 1.2}, "strictly between 0 and 1"),
        ({"shrinkage": -0.1}, "at least 0 and below 1"),
        ({"interval_seconds": 0}, "The interval"),
    ],
)
def test_erlang_staffing_bad_input_is_422_with_the_sentence(
    victor: User, over: dict[str, float], sentence: str
) -> None:
    payload = {"arrivals": 100, "aht_seconds": 180, "target_service_level": 0.8} | over
    response = _post(api_client(victor), "/api/v1/staffing/erlang", payload)
    assert response.status_code == 422
    assert sentence in response.json()["detail"]


def test_erlang_staffing_needs_a_login(client: Any) -> None:
    response = _post(client, "/api/v1/staffing/erlang", {"arrivals": 1})
    assert response.status_code == 401
