"""The G1 evidence of a preventive promise shows the technician hours per week its visits
add, counted as the customers' offers count them, and links the capacity plan's what-if."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.maintenance.offers import customer_offers
from servicegate.operations.models import Asset, Customer
from servicegate.planning.capacity import capacity_plan
from servicegate.promises import services
from servicegate.promises.models import Contract, GateDefinition, GateReview

pytestmark = pytest.mark.django_db

OFFICE = {
    "timezone": "Europe/Berlin",
    "week": {d: ["08:00-16:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}


@pytest.fixture
def calendar(db: None) -> BusinessCalendar:
    return BusinessCalendar.objects.create(
        name="Office", timezone="Europe/Berlin", definition=OFFICE
    )


@pytest.fixture
def g1_review(alice: User, bob: User, calendar: BusinessCalendar) -> Callable[..., GateReview]:
    """``g1_review(product, customer=None, contract=None)``: alice's promise on ``product``
    in bob's open G1 review."""

    def make(
        product: ServiceProduct,
        customer: Customer | None = None,
        contract: Contract | None = None,
    ) -> GateReview:
        draft = services.promise_create(
            by=alice,
            metric="preventive_on_time",
            target_value=Decimal("95"),
            target_unit="percent",
            attainment_percent=Decimal("95"),
            calendar=calendar,
            product=product,
            customer=customer,
            contract=contract,
            made_by_role="sales",
            source="offer",
        )
        promise = services.promise_transition(promise=draft, to="feasibility_review", by=alice)
        return services.gate_review_open(
            gate=GateDefinition.objects.get(code="G1"), promise=promise, by=bob
        )

    return make


@pytest.fixture
def base(
    customer: Customer,
    preventive_product: ServiceProduct,
    pump_lives: list[Asset],
    make_assets: Callable[[int], list[Asset]],
) -> Customer:
    """The customer runs two presses; another customer of the segment runs twelve."""
    make_assets(2)
    return customer


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _weekly(customers: list[Customer], product: ServiceProduct) -> float:
    """The hours per week the customers' offers of ``product`` add, as the offer page says."""
    yearly = sum(
        o.technician_hours_per_year
        for c in customers
        for o in customer_offers(c, now=timezone.now())
        if o.product == product.pk
    )
    return round(yearly / 52, 1)


def test_the_g1_review_of_a_preventive_promise_links_its_hours_to_the_capacity_plan(
    bob: User,
    base: Customer,
    preventive_product: ServiceProduct,
    g1_review: Callable[..., GateReview],
) -> None:
    # given a promise of the preventive product made to the customer with two presses
    review = g1_review(preventive_product, customer=base)
    weekly = _weekly([base], preventive_product)
    assert weekly > 0
    client = _login(bob)
    # when bob opens the G1 review
    page = client.get(f"/promises/reviews/{review.pk}/").content.decode()
    # then it shows the hours per week the offer page shows, and the what-if link
    assert f"{weekly:.1f} technician hours per week" in page
    assert "2 machines of the model PX-200 (customers in its scope: 1)" in page
    link = f"/planning/capacity/?extra_hours={weekly:.1f}"
    assert f'href="{link}"' in page
    # and the link's plan adds the hours to every week
    capacity = client.get(link)
    assert capacity.status_code == 200
    html = capacity.content.decode()
    assert f"What-if: {weekly:.1f} preventive hours per week" in html
    plan = capacity_plan(weeks=8, extra_hours=weekly)
    cells = re.findall(r"<tr[^>]*>\s*<td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", html)
    assert cells == [f"{w.preventive_hours:.1f}" for w in plan.weeks]
    assert all(w.preventive_hours >= weekly for w in plan.weeks)


def test_a_promise_to_the_whole_segment_counts_every_customer_of_it(
    bob: User,
    base: Customer,
    pump_lives: list[Asset],
    preventive_product: ServiceProduct,
    g1_review: Callable[..., GateReview],
) -> None:
    review = g1_review(preventive_product)
    fleet = Customer.objects.get(number="K-99")
    weekly = _weekly([base, fleet], preventive_product)
    page = _login(bob).get(f"/promises/reviews/{review.pk}/").content.decode()
    assert f"{weekly:.1f} technician hours per week" in page
    assert "14 machines of the model PX-200 (customers in its scope: 2)" in page


def test_a_promise_in_a_contract_counts_the_contracts_customer(
    alice: User,
    bob: User,
    base: Customer,
    preventive_product: ServiceProduct,
    g1_review: Callable[..., GateReview],
) -> None:
    contract = services.contract_create(
        by=alice,
        number="V-2027-1",
        customer=base,
        starts_on=timezone.localdate(),
        products=[preventive_product],
    )
    review = g1_review(preventive_product, contract=contract)
    page = _login(bob).get(f"/promises/reviews/{review.pk}/").content.decode()
    assert f"{_weekly([base], preventive_product):.1f} technician hours per week" in page
    assert "2 machines of the model PX-200 (customers in its scope: 1)" in page


def test_a_promise_without_preventive_terms_shows_no_hours(
    bob: User, base: Customer, product: ServiceProduct, g1_review: Callable[..., GateReview]
) -> None:
    review = g1_review(product, customer=base)
    page = _login(bob).get(f"/promises/reviews/{review.pk}/").content.decode()
    assert 'data-testid="feasibility-panel"' in page
    assert "promise-load" not in page and "/planning/capacity/?extra_hours" not in page


@pytest.mark.parametrize("path", ["", "servicegate.nowhere.preventive_load"])
def test_without_an_area_that_sells_preventive_services_the_page_shows_no_hours(
    bob: User,
    base: Customer,
    preventive_product: ServiceProduct,
    g1_review: Callable[..., GateReview],
    path: str,
) -> None:
    review = g1_review(preventive_product, customer=base)
    with override_settings(SERVICEGATE_PREVENTIVE_LOAD=path):
        page = _login(bob).get(f"/promises/reviews/{review.pk}/").content.decode()
    assert 'data-testid="review-decision"' in page and "promise-load" not in page


def test_the_hours_read_in_german(
    bob: User,
    base: Customer,
    preventive_product: ServiceProduct,
    g1_review: Callable[..., GateReview],
) -> None:
    review = g1_review(preventive_product, customer=base)
    page = (
        _login(bob)
        .get(f"/promises/reviews/{review.pk}/", headers={"accept-language": "de"})
        .content.decode()
    )
    weekly = f"{_weekly([base], preventive_product):.1f}"
    assert "Kapazität, wenn dieses Serviceversprechen gegeben wird" in page
    assert f"{weekly.replace('.', ',')} Technikerstunden pro Woche" in page
    assert f"/planning/capacity/?extra_hours={weekly}" in page
