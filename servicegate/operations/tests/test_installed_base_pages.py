"""Installed base pages lead from customers to sites to assets."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.operations.models import Asset

pytestmark = pytest.mark.django_db


def test_customer_to_site_to_asset(asset: Asset, victor: User) -> None:
    client = Client()
    client.force_login(victor)
    customers = client.get("/operations/customers/").content.decode()
    assert "Keller Automotive GmbH" in customers
    customer = client.get(f"/operations/customers/{asset.site.customer.pk}/").content.decode()
    assert f"/operations/sites/{asset.site.pk}/" in customer
    site = client.get(f"/operations/sites/{asset.site.pk}/").content.decode()
    assert "PX2-1" in site and "PX-200" in site


def test_assets_api_names_site_and_customer(asset: Asset, victor: User) -> None:
    client = Client()
    client.force_login(victor)
    item = client.get("/api/v1/assets/").json()["items"][0]
    assert item["serial_number"] == "PX2-1"
    assert item["site_id"] == asset.site.pk and item["customer_id"] == asset.site.customer.pk
