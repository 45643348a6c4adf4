"""`POST /api/v1/preventive/plans` sells a plan (201) and its work orders are listed with
`GET /api/v1/tickets/?kind=preventive&plan=ID`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import RoleMatrix
from servicegate.maintenance.models import PreventivePlan
from servicegate.maintenance.tests.conftest import START
from servicegate.operations.models import Asset, Customer

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _plan(client_of: Customer, product: ServiceProduct, **extra: Any) -> dict[str, Any]:
    return {
        "customer": client_of.pk,
        "product": product.pk,
        "starts_on": START.isoformat(),
        "months": 12,
        **extra,
    }


def test_who_may_sell_a_plan(
    role_matrix: RoleMatrix,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    make_assets(1)
    data = _plan(customer, preventive_product)
    role_matrix(
        "/api/v1/preventive/plans",
        {"*": 403, "alice": 201, "bob": 201, "ada": 201},
        method="post",
        data=data,
        api=True,
    )
    role_matrix("/api/v1/preventive/plans", {"*": 200}, api=True)
    assert PreventivePlan.objects.count() == 3


def test_plan_and_its_work_orders_through_the_api(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    assets = make_assets(3)
    data = _plan(customer, preventive_product, assets=[a.pk for a in assets[:2]])
    response = _client(alice).post(
        "/api/v1/preventive/plans", data, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["asset_ids"] == sorted(a.pk for a in assets[:2])
    assert body["triggers"][0]["kind"] == "time" and body["triggers"][0]["every"] == 30
    assert body["work_orders"] == 2 * 13 and body["ends_on"] == "2028-01-04"
    listed = (
        _client(alice)
        .get(f"/api/v1/tickets/?kind=preventive&plan={body['id']}&page_size=100")
        .json()
    )
    assert listed["count"] == 26
    assert {t["asset_id"] for t in listed["items"]} == {a.pk for a in assets[:2]}
    assert all(t["kind"] == "maintenance" for t in listed["items"])


@pytest.mark.parametrize(
    ("extra", "status", "sentence"),
    [
        ({"customer": 999}, 404, "There is no customer 999"),
        ({"product": 999}, 404, "There is no service product 999"),
        ({"months": 0}, 422, "1 to 60 months"),
        ({"triggers": [{"kind": "moon"}]}, 422, "is no trigger"),
        ({"triggers": [{"kind": "usage", "every": 100}]}, 422, "names its counter"),
        ({"assets": [999]}, 422, "do not exist"),
    ],
)
def test_bad_plans_are_refused(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
    extra: dict[str, Any],
    status: int,
    sentence: str,
) -> None:
    make_assets(1)
    data = {**_plan(customer, preventive_product), **extra}
    response = _client(alice).post(
        "/api/v1/preventive/plans", data, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert sentence in response.json()["detail"]
    assert PreventivePlan.objects.count() == 0
