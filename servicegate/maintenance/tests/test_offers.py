"""`GET /api/v1/preventive/offers?customer=ID`: the preventive products that fit the
customer's installed base, with figures that add up and follow the fitted reliability."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import RoleMatrix
from servicegate.engines.reliability import age_replacement_cost_rate, weibull_fit
from servicegate.maintenance.models import Component, LifeEvent, PreventivePlan
from servicegate.maintenance.offers import customer_offers
from servicegate.maintenance.selectors import fleet_lives
from servicegate.maintenance.tests.conftest import START
from servicegate.operations.models import Asset, Customer

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_offer_figures_follow_the_fit_and_add_up(
    customer: Customer,
    preventive_product: ServiceProduct,
    pump: Component,
    pump_lives: list[Asset],
    make_assets: Callable[[int], list[Asset]],
) -> None:
    # given three presses of the customer and a fleet whose pumps wear out
    mine = make_assets(3)
    # when the offers are computed
    [offer] = customer_offers(customer, now=NOW)
    # then they follow the Weibull fit of the fleet's pump lives
    lives = fleet_lives([pump], until=NOW)[pump.pk]
    fit = weibull_fit(lives.failures, lives.censored)
    assert fit.beta > 1
    t = offer.interval_days
    rate_with = float(
        age_replacement_cost_rate(
            t, alpha=fit.alpha, beta=fit.beta, cost_preventive=0, cost_failure=1
        )
    )
    assert offer.assets == [a.pk for a in mine]
    assert offer.expected_incidents_without == pytest.approx(3 * 365 / fit.mean_life, abs=0.01)
    assert offer.expected_incidents_with == pytest.approx(3 * 365 * rate_with, abs=0.01)
    # and they add up
    assert offer.incidents_avoided == round(
        offer.expected_incidents_without - offer.expected_incidents_with, 2
    )
    assert offer.incidents_avoided > 0
    assert offer.downtime_hours_avoided == pytest.approx(12 * offer.incidents_avoided, abs=0.2)
    visits = 3 * 365 / t
    assert offer.technician_hours_per_year == pytest.approx(visits * 1.5, abs=0.05)
    assert offer.price == 150 * 12 * 3
    assert offer.margin == pytest.approx(offer.price - visits * 1.5 * 65 - visits * 500, abs=0.5)
    assert offer.id == f"{customer.pk}-{preventive_product.pk}"


def test_offers_scale_with_the_assets(
    customer: Customer,
    preventive_product: ServiceProduct,
    pump_lives: list[Asset],
    make_assets: Callable[[int], list[Asset]],
) -> None:
    make_assets(1)
    [one] = customer_offers(customer, now=NOW)
    for i in range(3):
        Asset.objects.create(
            site=customer.sites.get(), product_model="PX-200", serial_number=f"more-{i}"
        )
    [four] = customer_offers(customer, now=NOW)
    assert four.interval_days == one.interval_days
    assert four.expected_incidents_without == pytest.approx(
        4 * one.expected_incidents_without, abs=0.03
    )
    assert four.technician_hours_per_year == pytest.approx(
        4 * one.technician_hours_per_year, abs=0.2
    )


def test_too_few_data_are_said_and_avoid_nothing(
    customer: Customer,
    preventive_product: ServiceProduct,
    pump: Component,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    [asset] = make_assets(1)
    for days in (100, 300):
        LifeEvent.objects.create(
            asset=asset,
            component=pump,
            at=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=days),
            kind="failure",
        )
    [offer] = customer_offers(customer, now=NOW)
    assert offer.notes == ["Hydraulic pump: Too few data: 2 failures recorded, 5 needed for a fit."]
    assert offer.incidents_avoided == offer.expected_incidents_without == 0
    assert offer.interval_days == 30  # the product's default interval


def test_random_failures_are_not_avoided_by_visits(
    customer: Customer,
    preventive_product: ServiceProduct,
    pump: Component,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    asset = make_assets(2)[0]
    pump.component_class = "electronics"
    pump.save()
    at = datetime(2020, 1, 1, tzinfo=UTC)
    for days in (5, 20, 60, 150, 400, 900, 40, 10, 700, 3):
        at += timedelta(days=days)
        LifeEvent.objects.create(asset=asset, component=pump, at=at, kind="failure")
    [offer] = customer_offers(customer, now=NOW)
    assert offer.expected_incidents_without > 0
    assert offer.expected_incidents_with == offer.expected_incidents_without
    assert offer.incidents_avoided == 0 and "fails at random" in offer.notes[0]


def test_who_reads_offers(
    role_matrix: RoleMatrix, alice: User, customer: Customer, preventive_product: ServiceProduct
) -> None:
    url = f"/api/v1/preventive/offers?customer={customer.pk}"
    role_matrix(url, {"*": 403, "alice": 200, "bob": 200, "ada": 200}, api=True)
    missing = _client(alice).get("/api/v1/preventive/offers?customer=999")
    assert missing.status_code == 404 and "There is no customer 999" in missing.json()["detail"]


def test_accepting_an_offer_creates_the_plan(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    pump_lives: list[Asset],
    make_assets: Callable[[int], list[Asset]],
) -> None:
    make_assets(2)
    [offer] = customer_offers(customer, now=NOW)
    listed = _client(alice).get(f"/api/v1/preventive/offers?customer={customer.pk}").json()
    assert [o["id"] for o in listed] == [offer.id]
    assert set(listed[0]) >= {
        "id", "product", "assets", "interval_days", "expected_incidents_without",
        "expected_incidents_with", "incidents_avoided", "downtime_hours_avoided",
        "technician_hours_per_year", "price", "margin",
    }  # fmt: skip
    response = _client(alice).post(
        "/api/v1/preventive/plans",
        {"customer": customer.pk, "offer": offer.id, "starts_on": START.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    plan = PreventivePlan.objects.get()
    assert plan.triggers.get().every == offer.interval_days
    assert plan.offer["incidents_avoided"] == listed[0]["incidents_avoided"]
    assert plan.work_orders.count() == 2 * -(-365 // offer.interval_days)
    missing = _client(alice).post(
        "/api/v1/preventive/plans",
        {"customer": customer.pk, "offer": "1-999", "starts_on": START.isoformat()},
        content_type="application/json",
    )
    assert missing.status_code == 404 and "has no offer 1-999" in missing.json()["detail"]


def test_assets_without_failures_count_as_survivors(
    pump: Component, make_assets: Callable[[int], list[Asset]]
) -> None:
    """An installed asset whose pump never failed is a censored life from installation."""
    failed, _quiet = make_assets(2)
    at = datetime(2021, 1, 1, tzinfo=UTC)
    LifeEvent.objects.create(asset=failed, component=pump, at=at, kind="failure")
    lives = fleet_lives([pump], until=NOW)[pump.pk]
    assert lives.failures == [366.0]  # installed 2020-01-01
    assert sorted(lives.censored) == [
        (NOW - at).days,
        (NOW - datetime(2020, 1, 1, tzinfo=UTC)).days,
    ]


def test_the_portal_reads_the_offers_without_the_margin(
    customer: Customer,
    preventive_product: ServiceProduct,
    pump_lives: list[Asset],
    make_assets: Callable[[int], list[Asset]],
) -> None:
    from django.conf import settings
    from django.utils.module_loading import import_string

    make_assets(2)
    hook = import_string(settings.SERVICEGATE_PORTAL_OFFERS)
    [offer] = hook(customer)
    [internal] = customer_offers(customer, now=timezone.now())
    text = str(offer)
    assert text.startswith(f"Press Care: a visit every {internal.interval_days} days for 2")
    assert f"{internal.incidents_avoided:.1f} incidents" in text and "3,600.00 EUR a year" in text
    assert "margin" not in text and f"{internal.margin:,.2f}" not in text
