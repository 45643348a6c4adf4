"""The promises API: list, create, read, patch, transitions, history, reviews, gates."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import RoleMatrix
from servicegate.promises.models import Promise
from servicegate.promises.tests.conftest import api_client


def _payload(product: ServiceProduct, calendar: BusinessCalendar, **over: Any) -> dict[str, Any]:
    data = {
        "metric": "first_response",
        "target_value": "4",
        "target_unit": "business_hours",
        "attainment_percent": "95",
        "product": product.pk,
        "calendar": calendar.pk,
        "priority": "P2",
        "made_by_role": "sales",
        "source": "offer",
    }
    return data | over


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def _patch(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_sales_creates_a_promise(
    alice: User, product: ServiceProduct, calendar: BusinessCalendar
) -> None:
    response = _post(api_client(alice), "/api/v1/promises/", _payload(product, calendar))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft"
    assert body["made_by"] == "alice"
    assert body["segment"] == product.segment_id
    assert body["version"] == 1


def test_only_sales_and_admin_create(
    role_matrix: RoleMatrix, product: ServiceProduct, calendar: BusinessCalendar
) -> None:
    expected = {"*": 403, "alice": 201, "ada": 201}
    role_matrix(
        "/api/v1/promises/", expected, method="post", data=_payload(product, calendar), api=True
    )


def test_list_items_and_filters(draft: Promise, victor: User) -> None:
    client = api_client(victor)
    body = client.get("/api/v1/promises/?state=draft&page_size=10").json()
    assert body["count"] == 1
    item = body["items"][0]
    for key in (
        "id",
        "state",
        "metric",
        "target_value",
        "target_unit",
        "attainment_percent",
        "product",
        "segment",
        "calendar",
        "priority",
        "made_by",
        "made_by_role",
        "source",
        "version",
    ):
        assert key in item
    assert client.get("/api/v1/promises/?state=approved").json()["count"] == 0
    assert client.get(f"/api/v1/promises/?product={draft.product_id}").json()["count"] == 1
    assert client.get(f"/api/v1/promises/?segment={draft.segment_id}").json()["count"] == 1
    assert client.get(f"/api/v1/promises/{draft.pk}").json()["id"] == draft.pk


def test_anonymous_is_refused(draft: Promise) -> None:
    from django.test import Client

    assert Client().get("/api/v1/promises/").status_code == 401


def test_transition_ok_forbidden_and_conflict(draft: Promise, alice: User, bob: User) -> None:
    url = f"/api/v1/promises/{draft.pk}/transitions"
    # sales submits to G1
    response = _post(api_client(alice), url, {"to": "feasibility_review", "comment": "Offer A-1"})
    assert response.status_code == 200
    assert response.json()["state"] == "feasibility_review"
    # sales may not approve its own promise
    response = _post(api_client(alice), url, {"to": "approved"})
    assert response.status_code == 403
    # an illegal step is a conflict with a sentence saying what is allowed
    response = _post(api_client(bob), url, {"to": "in_service"})
    assert response.status_code == 409
    assert "can only move to" in response.json()["detail"]
    # the service manager approves
    response = _post(api_client(bob), url, {"to": "approved", "comment": "Capacity ok"})
    assert response.status_code == 200
    assert response.json()["state"] == "approved"


def test_history_lists_who_changed_what(
    draft: Promise, move: Callable[..., Promise], victor: User
) -> None:
    move(draft, "feasibility_review", "approved")
    body = api_client(victor).get(f"/api/v1/promises/{draft.pk}/history").json()
    assert body["count"] == 3
    newest = body["items"][0]
    assert newest["user"] == "bob"
    assert newest["action"] == "transition"
    assert newest["changes"]["state"] == ["feasibility_review", "approved"]


def test_patch_changes_a_draft_and_refuses_stale_versions(draft: Promise, alice: User) -> None:
    client = api_client(alice)
    url = f"/api/v1/promises/{draft.pk}"
    response = _patch(client, url, {"version": 1, "target_value": "6"})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    stale = _patch(client, url, {"version": 1, "target_value": "8"})
    assert stale.status_code == 409
    assert "Someone else changed this promise" in stale.json()["detail"]
    draft.refresh_from_db()
    assert str(draft.target_value) == "6.00"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"target_value": "0"}, "target_value"),
        ({"target_value": "-3"}, "target_value"),
        ({"attainment_percent": "0"}, "attainment_percent"),
        ({"attainment_percent": "100.5"}, "attainment_percent"),
        ({"target_unit": "percent"}, "target_unit"),
        ({"metric": "availability", "target_value": "99.5", "target_unit": "hours"}, "target_unit"),
        ({"calendar": 999999}, "calendar"),
        ({"valid_from": "2026-05-01", "valid_to": "2026-04-01"}, "valid_to"),
    ],
)
def test_validation_errors_are_422_per_field(
    alice: User,
    product: ServiceProduct,
    calendar: BusinessCalendar,
    override: dict[str, Any],
    field: str,
) -> None:
    response = _post(api_client(alice), "/api/v1/promises/", _payload(product, calendar) | override)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Promise.objects.exists()


def test_gates_and_reviews(
    draft: Promise, move: Callable[..., Promise], bob: User, victor: User
) -> None:
    gates = api_client(victor).get("/api/v1/gates/").json()
    assert [g["code"] for g in gates["items"]] == ["G1", "G2", "G3", "G4"]
    move(draft, "feasibility_review")
    criteria = {c["id"]: "yes" for c in gates["items"][0]["criteria"]}
    response = _post(
        api_client(bob),
        f"/api/v1/promises/{draft.pk}/reviews",
        {
            "gate": "G1",
            "answers": criteria,
            "evidence_text": "Attainment 97 % last year",
            "decision": "pass",
            "comments": "Feasible",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["decision"] == "pass"
    draft.refresh_from_db()
    assert draft.state == "approved"
    reviews = api_client(victor).get(f"/api/v1/promises/{draft.pk}/reviews").json()
    assert reviews["count"] == 1


def test_viewer_cannot_open_a_review(
    draft: Promise, move: Callable[..., Promise], victor: User
) -> None:
    move(draft, "feasibility_review")
    response = _post(api_client(victor), f"/api/v1/promises/{draft.pk}/reviews", {"gate": "G1"})
    assert response.status_code == 403
