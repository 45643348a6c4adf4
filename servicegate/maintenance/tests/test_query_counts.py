"""Offers, plans and work-order lists read in a number of queries that does not grow
with the installed base."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from servicegate.catalog.models import ServiceProduct
from servicegate.maintenance.services import plan_create
from servicegate.maintenance.tests.conftest import START
from servicegate.operations.models import Asset, Customer

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def test_lists_do_not_grow_with_the_installed_base(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    pump_lives: list[Asset],
    make_assets: Callable[..., list[Asset]],
) -> None:
    client = Client()
    client.force_login(alice)
    urls = [
        f"/api/v1/preventive/offers?customer={customer.pk}",
        f"/maintenance/customers/{customer.pk}/offers/",
        "/api/v1/preventive/plans",
        "/maintenance/",
        "/maintenance/reliability/",
    ]
    make_assets(1, "PX-200")
    plan_create(by=alice, customer=customer, product=preventive_product, starts_on=START)
    small: dict[str, Any] = {url: _queries(client, url) for url in urls}
    for i in range(5):
        Asset.objects.create(
            site=customer.sites.get(), product_model="PX-200", serial_number=f"more-{i}"
        )
    plan_create(by=alice, customer=customer, product=preventive_product, starts_on=START)
    plan = plan_create(by=alice, customer=customer, product=preventive_product, starts_on=START)
    large = {url: _queries(client, url) for url in urls}
    assert large == small
    assert _queries(client, f"/maintenance/plans/{plan.pk}/") <= 15
    assert _queries(client, f"/api/v1/tickets/?plan={plan.pk}") <= 8  # login, perms, count, page
