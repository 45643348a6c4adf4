"""The catalogue API: products and segments, paginated, capability-checked."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from servicegate.catalog.models import ServiceProduct
from servicegate.promises.tests.conftest import api_client


def test_products_carry_the_four_ps(victor: User, product: ServiceProduct) -> None:
    body = api_client(victor).get("/api/v1/products/?page_size=5").json()
    assert body["count"] == 1
    item = body["items"][0]
    for key in (
        "id",
        "name",
        "segment",
        "owner",
        "kind",
        "price_model",
        "price_amount",
        "currency",
        "channel",
        "regions",
        "value_proposition",
    ):
        assert key in item
    assert item["owner"] == "bob"
    assert item["regions"] == ["Bayern"]


def test_product_filters(victor: User, product: ServiceProduct) -> None:
    client = api_client(victor)
    assert client.get("/api/v1/products/?kind=training").json()["count"] == 0
    assert client.get(f"/api/v1/products/?segment={product.segment_id}").json()["count"] == 1


def test_segments(victor: User, product: ServiceProduct) -> None:
    body = api_client(victor).get("/api/v1/segments/").json()
    assert [s["name"] for s in body["items"]] == ["Automotive"]


def test_anonymous_gets_401(product: ServiceProduct) -> None:
    assert Client().get("/api/v1/products/").status_code == 401


def test_products_query_count(
    victor: User, product: ServiceProduct, bob: User, django_assert_max_num_queries: Any
) -> None:
    for i in range(10):
        ServiceProduct.objects.create(
            name=f"P{i}",
            segment=product.segment,
            owner=bob,
            kind="training",
            scope="s",
            price_model="fixed",
            price_amount=1,
            channel="remote",
            value_proposition="v",
        )
    client = api_client(victor)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/products/").json()["count"] == 11
