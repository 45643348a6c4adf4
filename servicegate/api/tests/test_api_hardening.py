"""Hostile API input gets a 4xx with a sentence; the OpenAPI document lists those answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.api.tests.test_api_foundation import token_for

pytestmark = pytest.mark.django_db

HUGE = "9999999999999999999999"


@pytest.fixture
def bearer(client: Client, bob: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(client, 'bob')}"}


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/segments/?page={HUGE}",
        f"/api/v1/tickets/?page={HUGE}",
        f"/api/v1/notifications?page={HUGE}",
    ],
)
def test_huge_pages_are_422_with_a_sentence(bearer: dict[str, str], url: str) -> None:
    response = Client(raise_request_exception=False).get(url, headers=bearer)
    assert response.status_code == 422, response.content[:200]
    detail = response.json()["detail"]
    assert isinstance(detail, str) and " " in detail


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/products/?segment={HUGE}",
        f"/api/v1/tickets/?customer={HUGE}",
        f"/api/v1/assets/?site={HUGE}",
    ],
)
def test_huge_ids_match_nothing_or_are_422(bearer: dict[str, str], url: str) -> None:
    """SQLite cannot hold the number (422 with a sentence); PostgreSQL finds nothing."""
    response = Client(raise_request_exception=False).get(url, headers=bearer)
    assert response.status_code in (200, 422), response.content[:200]
    if response.status_code == 422:
        assert "out of range" in response.json()["detail"]
    else:
        assert response.json()["items"] == []


def test_a_page_beyond_the_last_is_empty(bearer: dict[str, str]) -> None:
    response = Client().get("/api/v1/segments/?page=1000000", headers=bearer)
    assert response.status_code == 200 and response.json()["items"] == []


def test_erlang_overflow_is_422(bearer: dict[str, str]) -> None:
    body = {"arrivals": 1e308, "aht_seconds": 1e308, "target_service_level": 0.8}
    response = Client(raise_request_exception=False).post(
        "/api/v1/staffing/erlang", body, content_type="application/json", headers=bearer
    )
    assert response.status_code == 422 and isinstance(response.json()["detail"], str)


def test_validation_errors_are_sentences(bearer: dict[str, str]) -> None:
    response = Client().post(
        "/api/v1/staffing/erlang", {}, content_type="application/json", headers=bearer
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("The request is invalid: arrivals: Field required")
    assert body["errors"][0]["loc"][-1] == "arrivals"


def test_unauthenticated_writes_are_401_even_with_a_stale_session_cookie() -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "expired"
    response = client.post("/api/v1/staffing/erlang", {}, content_type="application/json")
    assert response.status_code == 401 and "Bearer" in response.json()["detail"]


def test_logged_in_session_writes_still_need_csrf(bob: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post("/api/v1/staffing/erlang", {}, content_type="application/json")
    assert response.status_code == 403


def test_openapi_lists_the_error_answers(bearer: dict[str, str]) -> None:
    paths = Client().get("/api/v1/openapi.json", headers=bearer).json()["paths"]
    ticket = paths["/api/v1/tickets/{ticket_id}"]
    assert {"200", "401", "403", "404", "422"} <= set(ticket["get"]["responses"])
    assert {"400", "401", "403", "404", "409", "422"} <= set(ticket["patch"]["responses"])
    assert "401" not in paths["/api/v1/health"]["get"]["responses"]
    listing = paths["/api/v1/segments/"]["get"]["responses"]
    assert {"401", "403", "422"} <= set(listing)


def test_the_openapi_document_has_no_duplicated_key() -> None:
    """A route's int 404 and the str "404" every operation gets must not both be written:
    JSON parsers keep the last, Swagger UI's YAML parser refuses the whole document."""

    def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _value in pairs]
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        assert not duplicated, f"duplicated keys {duplicated} in {keys}"
        return dict(pairs)

    content = Client().get("/api/v1/openapi.json").content
    json.loads(content, object_pairs_hook=refuse_duplicates)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/scorecard?since=0",
        "/api/v1/scorecard.csv?until=0",
        "/api/v1/scorecard.xlsx?since=1e9",
        "/api/v1/absences?start=0",
        "/api/v1/absences?end=20260101",
    ],
)
def test_a_date_that_is_not_yyyy_mm_dd_is_422(bearer: dict[str, str], url: str) -> None:
    """Pydantic would read the number 0 as 1 January 1970; the document says ISO date."""
    response = Client().get(url, headers=bearer)
    assert response.status_code == 422, response.content[:200]
    assert "write a date as YYYY-MM-DD" in response.json()["detail"]


def test_an_iso_date_is_accepted(bearer: dict[str, str]) -> None:
    assert Client().get("/api/v1/scorecard?since=2026-01-01", headers=bearer).status_code == 200
    assert Client().get("/api/v1/absences?start=2026-01-01", headers=bearer).status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("patch", "/api/v1/board/columns/1"),
        ("patch", "/api/v1/initiatives/1"),
        ("patch", "/api/v1/tickets/1"),
        ("post", "/api/v1/promises/1/feasibility"),
    ],
)
@pytest.mark.parametrize("body", ["[]", "null", "[null, null]", '"x"'])
def test_a_body_of_defaults_must_still_be_an_object(
    bearer: dict[str, str], method: str, url: str, body: str
) -> None:
    """Every field of these bodies has a default; a ninja Schema read ``[]`` as "no
    change" (PATCH answered 200), which the document does not allow."""
    response = getattr(Client(), method)(url, body, content_type="application/json", headers=bearer)
    assert response.status_code == 422, response.content[:200]
    assert "the body must be a JSON object" in response.json()["detail"]
