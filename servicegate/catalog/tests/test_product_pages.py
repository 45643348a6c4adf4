"""Catalogue pages: list with filters, detail, portfolio, create/edit by manage_catalog."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.conftest import RoleMatrix
from servicegate.promises.models import Promise
from servicegate.promises.tests.conftest import login

FORM = {
    "name": "On-site Repair 24h",
    "kind": "reactive",
    "scope": "Repair on site",
    "price_model": "per_incident",
    "price_amount": "1850",
    "currency": "EUR",
    "channel": "on_site",
    "regions": "Bayern, AT",
    "value_proposition": "On site within 24 hours.",
    "is_active": "on",
}


def test_list_filters(victor: User, product: ServiceProduct, segment: Segment) -> None:
    client = login(victor)
    assert product.name.encode() in client.get("/catalog/").content
    assert product.name.encode() not in client.get("/catalog/?kind=training").content
    assert (
        product.name.encode()
        in client.get(f"/catalog/?segment={segment.pk}&channel=remote").content
    )
    partial = client.get("/catalog/?kind=reactive", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content


def test_detail_says_a_draft_has_no_clocks_yet(victor: User, draft: Promise) -> None:
    response = login(victor).get(f"/catalog/products/{draft.product_id}/")
    assert response.status_code == 200
    assert b"Clocks run once the promise is committed." in response.content


def test_portfolio_shows_the_four_ps(victor: User, product: ServiceProduct) -> None:
    content = login(victor).get("/catalog/portfolio/").content
    assert b"Answer within 4 business hours." in content
    assert b"990" in content


def test_without_manage_catalog_no_form(role_matrix: RoleMatrix) -> None:
    denied = {"carol": 403, "victor": 403, "quinn": 403, "dana": 403}
    role_matrix("/catalog/products/new/", denied | {"alice": 200, "ada": 200})
    role_matrix("/catalog/products/new/", denied, method="post", data=FORM)
    assert not ServiceProduct.objects.filter(name=FORM["name"]).exists()


def test_sales_creates_and_edits_a_product(alice: User, segment: Segment) -> None:
    client = login(alice)
    response = client.post(
        "/catalog/products/new/", FORM | {"segment": segment.pk, "owner": alice.pk}
    )
    assert response.status_code == 302, response.content
    product = ServiceProduct.objects.get(name="On-site Repair 24h")
    assert product.regions == ["Bayern", "AT"]
    data: dict[str, Any] = FORM | {"segment": segment.pk, "owner": alice.pk, "price_amount": "1990"}
    client.post(f"/catalog/products/{product.pk}/edit/", data)
    product.refresh_from_db()
    assert str(product.price_amount) == "1990.00"


def test_negative_price_is_refused(alice: User, segment: Segment) -> None:
    response = login(alice).post(
        "/catalog/products/new/",
        FORM | {"segment": segment.pk, "owner": alice.pk, "price_amount": "-1"},
    )
    assert response.status_code == 200
    assert not ServiceProduct.objects.exists()


def test_list_query_count(
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
    client = login(victor)
    client.get("/catalog/")
    with django_assert_max_num_queries(10):
        client.get("/catalog/")
    with django_assert_max_num_queries(10):
        client.get("/catalog/portfolio/")
