"""An installed base with reliability data and a preventive product for the maintenance tests.

Personas come from ``servicegate/conftest.py``: alice (sales) sells plans, bob (service
manager) and dana (dispatcher) record readings, carol (technician) and victor (viewer)
read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.maintenance.models import (
    AssetModel,
    Component,
    Counter,
    LifeEvent,
    PreventiveTerms,
)
from servicegate.operations.models import Asset, Customer, Site

START = date(2027, 1, 4)


@pytest.fixture
def segment(db: None) -> Segment:
    return Segment.objects.create(name="Machine building")


@pytest.fixture
def customer(segment: Segment) -> Customer:
    return Customer.objects.create(number="K-7", name="Huber Verpackung GmbH", segment=segment)


@pytest.fixture
def site(customer: Customer) -> Site:
    return Site.objects.create(customer=customer, name="Werk Nord", city="Augsburg")


@pytest.fixture
def press(db: None) -> AssetModel:
    return AssetModel.objects.create(name="PX-200")


@pytest.fixture
def pump(press: AssetModel) -> Component:
    return Component.objects.create(
        asset_model=press,
        name="Hydraulic pump",
        component_class="wear",
        downtime_hours=12,
        cost_failure=Decimal("3000"),
        cost_preventive=Decimal("500"),
    )


@pytest.fixture
def make_assets(site: Site) -> Callable[[int], list[Asset]]:
    def make(k: int, model: str = "PX-200") -> list[Asset]:
        return [
            Asset.objects.create(
                site=site,
                product_model=model,
                serial_number=f"{model}-{i}",
                install_date=date(2020, 1, 1),
            )
            for i in range(k)
        ]

    return make


@pytest.fixture
def preventive_product(
    segment: Segment, bob: User, press: AssetModel, pump: Component
) -> ServiceProduct:
    product = ServiceProduct.objects.create(
        name="Press Care",
        segment=segment,
        owner=bob,
        kind="preventive",
        scope="Pump and seals replaced before they wear out.",
        price_model="subscription",
        price_amount=Decimal("150"),
        channel="on_site",
        value_proposition="Fewer stops of your presses.",
    )
    terms = PreventiveTerms.objects.create(
        product=product, asset_model=press, interval_days=30, duration_minutes=90
    )
    terms.components.set([pump])
    return product


@pytest.fixture
def hours_counter() -> Callable[[Asset], Counter]:
    def make(asset: Asset) -> Counter:
        return Counter.objects.create(asset=asset, name="operating_hours", unit="h")

    return make


@pytest.fixture
def pump_lives(pump: Component, segment: Segment) -> list[Asset]:
    """Twelve presses of another customer whose pumps failed twice each (wear, β > 1)."""
    fleet_customer = Customer.objects.create(number="K-99", name="Fleet GmbH", segment=segment)
    other_site = Site.objects.create(customer=fleet_customer, name="Fleet", city="Ulm")
    start = datetime(2022, 1, 1, tzinfo=UTC)
    fleet = []
    for i in range(12):
        asset = Asset.objects.create(
            site=other_site,
            product_model="PX-200",
            serial_number=f"F-{i}",
            install_date=start.date(),
        )
        fleet.append(asset)
        at = start
        for life in (300 + 20 * i, 520 - 15 * i):
            at += timedelta(days=life)
            LifeEvent.objects.create(asset=asset, component=pump, at=at, kind="failure")
    return fleet
