"""In Debian's Chromium: Sales walks from a customer to an accepted preventive offer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import PASSWORD
from servicegate.maintenance.models import PreventivePlan
from servicegate.operations.models import Asset, Customer

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_sales_walks_from_a_customer_to_an_accepted_offer(
    page: Any,
    live_server: Any,
    screenshot_dir: Path,
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    pump_lives: list[Asset],
    make_assets: Callable[[int], list[Asset]],
) -> None:
    make_assets(3)
    base = live_server.url
    # alice logs in and opens the customer
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"{base}/operations/customers/{customer.pk}/")
    # from the customer to its preventive offers
    with page.expect_navigation():
        page.click("[data-testid=preventive-offers]")
    assert page.locator("h1").inner_text() == f"Offers for {customer.name}"
    offer = page.locator("[data-testid=offer]").first
    assert "1. Press Care" in offer.inner_text()
    avoided = float(offer.locator("[data-testid=incidents-avoided]").inner_text())
    assert avoided > 0
    page.screenshot(path=str(screenshot_dir / "sales-offers.png"))
    # she accepts it: the plan opens with its work orders
    with page.expect_navigation():
        offer.locator("button[type=submit]").click()
    plan = PreventivePlan.objects.get()
    assert page.url.endswith(f"/maintenance/plans/{plan.pk}/")
    assert "Offer accepted" in page.content()
    rows = page.locator("[data-testid=work-orders] tbody tr")
    assert rows.count() == plan.work_orders.count() > 0
    assert plan.offer["incidents_avoided"] == pytest.approx(avoided, abs=0.01)
    page.screenshot(path=str(screenshot_dir / "sales-offer-accepted.png"))
