"""The pages of preventive services: who sees them, the offers ranked for Sales, accepting
one, the plan with its work orders, reliability with "too few data" said, the proposal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import RoleMatrix
from servicegate.maintenance.models import Component, PreventivePlan
from servicegate.maintenance.offers import customer_offers
from servicegate.maintenance.proposal import proposal_render
from servicegate.maintenance.tests.conftest import START
from servicegate.operations.models import Asset, Customer

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def base(
    customer: Customer,
    preventive_product: ServiceProduct,
    pump_lives: list[Asset],
    make_assets: Callable[[int], list[Asset]],
) -> Customer:
    make_assets(2)
    return customer


def test_who_sees_which_page(role_matrix: RoleMatrix, base: Customer) -> None:
    role_matrix("/maintenance/", {"*": 200})
    role_matrix("/maintenance/reliability/", {"*": 200})
    offers = f"/maintenance/customers/{base.pk}/offers/"
    role_matrix(offers, {"*": 403, "alice": 200, "bob": 200, "ada": 200})
    offer_id = f"{base.pk}-{ServiceProduct.objects.get(name='Press Care').pk}"
    role_matrix(
        f"{offers}{offer_id}/proposal.pdf", {"*": 403, "alice": 200, "bob": 200, "ada": 200}
    )
    role_matrix(
        f"{offers}{offer_id}/accept/",
        {"*": 403, "alice": 302, "bob": 302, "ada": 302},
        method="post",
        data={"starts_on": START.isoformat(), "months": 12},
    )
    assert PreventivePlan.objects.count() == 3


def test_sales_accepts_an_offer_from_the_ranked_list(alice: User, base: Customer) -> None:
    client = _client(alice)
    page = client.get(f"/maintenance/customers/{base.pk}/offers/").content.decode()
    assert "1. Press Care" in page and "Incidents avoided" in page
    offer_id = f"{base.pk}-{ServiceProduct.objects.get(name='Press Care').pk}"
    # before committing, Sales sees the offer's hours on the capacity plan
    [offer] = [o for o in customer_offers(base, now=timezone.now()) if o.id == offer_id]
    weekly = f"{offer.technician_hours_per_year / 52:.1f}"
    assert f'href="/planning/capacity/?extra_hours={weekly}"' in page
    capacity = client.get(f"/planning/capacity/?extra_hours={weekly}")
    assert capacity.status_code == 200
    response = client.post(
        f"/maintenance/customers/{base.pk}/offers/{offer_id}/accept/",
        {"starts_on": START.isoformat(), "months": 12},
        follow=True,
    )
    plan = PreventivePlan.objects.get()
    assert response.redirect_chain[-1][0] == f"/maintenance/plans/{plan.pk}/"
    body = response.content.decode()
    first = plan.work_orders.order_by("due_on").first()
    assert first is not None and "Offer accepted" in body and first.ticket.number in body


def test_reliability_page_says_too_few_data(victor: User, base: Customer, pump: Component) -> None:
    Component.objects.create(asset_model=pump.asset_model, name="Controller")
    page = _client(victor).get("/maintenance/reliability/").content.decode()
    assert "Hydraulic pump" in page and "Controller" in page
    assert "Too few data: 0 failures recorded, 5 needed for a fit." in page


def test_proposal_is_one_page_pdf(alice: User, base: Customer) -> None:
    offer_id = f"{base.pk}-{ServiceProduct.objects.get(name='Press Care').pk}"
    response = _client(alice).get(
        f"/maintenance/customers/{base.pk}/offers/{offer_id}/proposal.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_proposal_fits_one_page_in_german(alice: User, base: Customer) -> None:
    request = RequestFactory().get("/")
    request.user = alice
    [offer] = customer_offers(base, now=timezone.now())
    with translation.override("de"):
        proposal = proposal_render(customer=base, offer=offer, request=request)
    assert proposal.pages == 1 and proposal.pdf.startswith(b"%PDF-")
    assert "Angebot" in proposal.html and "Huber Verpackung GmbH" in proposal.html


def test_customer_page_leads_sales_to_the_offers(alice: User, victor: User, base: Customer) -> None:
    link = f"/maintenance/customers/{base.pk}/offers/"
    assert link in _client(alice).get(f"/operations/customers/{base.pk}/").content.decode()
    assert link not in _client(victor).get(f"/operations/customers/{base.pk}/").content.decode()


def test_pages_read_in_a_fixed_number_of_queries(
    alice: User,
    base: Customer,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    client = _client(alice)
    offer_id = f"{base.pk}-{ServiceProduct.objects.get(name='Press Care').pk}"
    client.post(
        f"/maintenance/customers/{base.pk}/offers/{offer_id}/accept/",
        {"starts_on": START.isoformat(), "months": 12},
    )
    plan = PreventivePlan.objects.get()
    for url in ("/maintenance/", f"/maintenance/plans/{plan.pk}/", "/maintenance/reliability/"):
        with django_assert_max_num_queries(15):  # type: ignore[attr-defined]
            assert client.get(url).status_code == 200
