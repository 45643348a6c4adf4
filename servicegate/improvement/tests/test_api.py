"""The KVP API: findings and actions with their role matrix, PDCA over HTTP, the effect."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from scipy.stats import fisher_exact

from servicegate.accounts.services import token_create
from servicegate.conftest import RoleMatrix
from servicegate.improvement.models import Action, Finding
from servicegate.improvement.services import action_create, finding_create
from servicegate.improvement.tests.conftest import Summarise
from servicegate.promises.models import Promise


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user)[1]}"})


def post(user: User, url: str, data: dict[str, Any]) -> Any:
    return api(user).post(url, json.dumps(data), content_type="application/json")


def test_every_staff_role_but_viewer_raises_findings(role_matrix: RoleMatrix) -> None:
    for name in ("alice", "bob", "quinn", "dana", "carol", "ada"):
        data = {"source": "technician", "title": f"Observed by {name}"}
        role_matrix(
            "/api/v1/findings/", {"victor": 403, name: 201}, method="post", data=data, api=True
        )
    role_matrix("/api/v1/findings/", {"*": 200}, api=True)
    assert Finding.objects.count() == 6


def test_a_repeated_finding_answers_200_with_the_existing_one(carol: User) -> None:
    first = post(carol, "/api/v1/findings/", {"source": "technician", "title": "Late parts"})
    again = post(carol, "/api/v1/findings/", {"source": "technician", "title": "late parts"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_bad_finding_input_is_422_with_the_sentence(carol: User) -> None:
    response = post(carol, "/api/v1/findings/", {"source": "gossip", "title": "x"})
    assert response.status_code == 422
    assert "Choose where the finding comes from" in response.json()["detail"]
    response = post(
        carol, "/api/v1/findings/", {"source": "technician", "title": "x", "promise": 999}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["promise"] == ["There is no promise with id 999."]


def test_findings_filter_by_source_and_status(bob: User, carol: User) -> None:
    finding_create(by=carol, source="technician", title="A")
    finding_create(by=bob, source="g4_review", title="B")
    rows = api(bob).get("/api/v1/findings/?source=g4_review&status=open").json()
    assert [r["title"] for r in rows["items"]] == ["B"]


@pytest.fixture
def payload(promise: Promise, summarise: Summarise, carol: User) -> dict[str, Any]:
    summarise(promise, promise.valid_from, 1, 1)
    finding = finding_create(by=carol, source="technician", title="Queue", promise=promise)
    return {
        "finding": finding.pk,
        "title": "Second shift",
        "owner": carol.pk,
        "kpi": "promise_attainment",
        "target": "95",
        "baseline": 60,
    }


def test_kvp_leads_open_actions_for_others_others_only_for_themselves(
    role_matrix: RoleMatrix, payload: dict[str, Any], persona: Any
) -> None:
    role_matrix(
        "/api/v1/actions/",
        {
            "alice": 403,
            "dana": 403,
            "victor": 403,
            "bob": 201,
            "quinn": 201,
            "ada": 201,
            "carol": 201,
        },
        method="post",
        data=payload,
        api=True,
    )
    own = {**payload, "owner": persona("dana").pk}
    role_matrix("/api/v1/actions/", {"dana": 201}, method="post", data=own, api=True)


def test_an_action_over_the_api_starts_in_plan_and_moves_in_order(
    bob: User, payload: dict[str, Any]
) -> None:
    created = post(bob, "/api/v1/actions/", {**payload, "due": "2026-09-30"})
    assert created.status_code == 201
    body = created.json()
    assert (body["stage"], body["owner"], body["source"], body["window_days"]) == (
        "plan",
        "carol",
        "technician",
        60,
    )
    url = f"/api/v1/actions/{body['id']}/transitions"
    skipped = post(bob, url, {"to": "act"})
    assert skipped.status_code == 409
    assert "cannot be skipped" in skipped.json()["detail"]
    assert post(bob, url, {"to": "do"}).json()["stage"] == "do"
    assert post(bob, url, {"to": "someday"}).status_code == 422


def test_only_kvp_leads_and_the_owner_move_an_action(
    role_matrix: RoleMatrix, bob: User, carol: User, payload: dict[str, Any]
) -> None:
    def fresh() -> str:
        body = post(bob, "/api/v1/actions/", payload).json()
        return f"/api/v1/actions/{body['id']}/transitions"

    deny = {"alice": 403, "dana": 403, "victor": 403}
    for mover in ("carol", "bob", "quinn", "ada"):
        role_matrix(fresh(), {**deny, mover: 200}, method="post", data={"to": "do"}, api=True)


def test_actions_without_owner_or_kpi_are_422(bob: User) -> None:
    response = post(bob, "/api/v1/actions/", {"title": "Something", "source": "technician"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"owner"}
    response = post(
        bob, "/api/v1/actions/", {"title": "Something", "source": "technician", "owner": bob.pk}
    )
    assert response.status_code == 422
    assert "An action needs a KPI" in response.json()["detail"]
    assert not Action.objects.exists()


def test_actions_filter_by_source_stage_and_promise(
    bob: User, promise: Promise, make_promise: Any
) -> None:
    other = make_promise(title="Other")
    action_create(
        by=bob, title="A", owner=bob, source="breach", kpi="promise_attainment", promise=promise
    )
    action_create(
        by=bob, title="B", owner=bob, source="g4_review", kpi="promise_attainment", promise=other
    )
    client = api(bob)
    assert [
        r["title"] for r in client.get(f"/api/v1/actions/?promise={promise.pk}").json()["items"]
    ] == ["A"]
    assert [
        r["title"]
        for r in client.get("/api/v1/actions/?source=g4_review&stage=plan").json()["items"]
    ] == ["B"]
    assert client.get("/api/v1/actions/?stage=do").json()["count"] == 0


def test_the_effect_endpoint_gives_both_windows_and_scipys_p_value(
    bob: User, promise: Promise, summarise: Summarise
) -> None:
    from django.utils import timezone

    today = timezone.now().date()
    summarise(promise, today - timedelta(days=10), 20, 10)
    action = action_create(
        by=bob,
        title="A",
        owner=bob,
        source="breach",
        kpi="promise_attainment",
        promise=promise,
        window_days=30,
    )
    url = f"/api/v1/actions/{action.pk}"
    empty = api(bob).get(f"{url}/effect").json()
    assert empty["p_value"] is None and empty["baseline"]["n"] == 20 and empty["after"]["n"] == 0
    post(bob, f"{url}/transitions", {"to": "do"})
    summarise(promise, today, 10, 10)
    tomorrow = timezone.now() + timedelta(days=1)
    from servicegate.improvement.services import action_transition

    action_transition(action=action, to="check", by=bob, now=tomorrow)
    effect = api(bob).get(f"{url}/effect").json()
    assert effect["baseline"]["rate"] == 0.5 and (effect["after"]["n"], effect["after"]["met"]) == (
        10,
        10,
    )
    assert effect["p_value"] == pytest.approx(
        fisher_exact([[10, 0], [10, 10]], alternative="greater")[1]
    )
    assert effect["verdict"] == "improved"
    assert set(effect["baseline"]) == {"from", "to", "n", "met", "rate"}


def test_api_lists_take_a_fixed_number_of_queries(
    bob: User, carol: User, promise: Promise, django_assert_max_num_queries: Any
) -> None:
    client = api(bob)
    for i in range(8):
        finding = finding_create(by=carol, source="technician", title=f"F{i}", promise=promise)
        action_create(by=bob, title=f"A{i}", owner=carol, finding=finding)
    for url in ("/api/v1/findings/", "/api/v1/actions/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).json()["count"] == 8


def test_a_finding_answers_with_the_ids_it_links(carol: User, promise: Promise) -> None:
    body = post(
        carol, "/api/v1/findings/", {"source": "technician", "title": "Late", "promise": promise.pk}
    ).json()
    assert (body["promise"], body["product"], body["raised_by"]) == (
        promise.pk,
        promise.product_id,
        "carol",
    )
