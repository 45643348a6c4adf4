"""In Chromium, in German: sales proposes a promise, the service manager approves it at G1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.accounts import roles
from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.conftest import PASSWORD, make_user
from servicegate.promises.models import GateDefinition, Promise

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def german(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="de-DE", extra_http_headers={"Accept-Language": "de-DE"})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page: Any, base: str, username: str) -> None:
    # leave the previous page first: a request it still has in flight would otherwise be
    # answered with a fresh CSRF cookie that no longer matches the login form's token
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


@pytest.mark.django_db(transaction=True)
def test_sales_proposes_and_the_service_manager_approves_g1_in_german(
    german: Any, live_server: Any, screenshot_dir: Path
) -> None:
    # given: a product in the catalogue, a calendar, a sales rep and a service manager
    make_user("sina", roles.SALES)
    manager: User = make_user("manni", roles.SERVICE_MANAGER)
    segment = Segment.objects.create(name="Automotive")
    calendar = BusinessCalendar.objects.create(
        name="Servicezeiten",
        definition={"timezone": "Europe/Berlin", "week": {"mon": ["08:00-17:00"]}},
    )
    product = ServiceProduct.objects.create(
        name="Remote Hotline Premium", segment=segment, owner=manager, price_amount=990
    )
    page, base = german, live_server.url

    # when: sales proposes the promise and submits it to Gate 1
    login(page, base, "sina")
    assert page.locator("nav.mainnav a[data-area=promises]").inner_text() == "Versprechen & Gates"
    page.goto(f"{base}/promises/new/")
    page.fill("#id_title", "95 % der P2-Störungen in 4 Servicestunden beantwortet")
    page.select_option("#id_product", str(product.pk))
    page.select_option("#id_priority", "P2")
    page.select_option("#id_metric", "first_response")
    page.fill("#id_target_value", "4")
    page.select_option("#id_target_unit", "business_hours")
    page.fill("#id_attainment_percent", "95")
    page.select_option("#id_calendar", str(calendar.pk))
    page.select_option("#id_made_by_role", "sales")
    page.select_option("#id_source", "offer")
    page.fill("#id_valid_from", "2027-01-01")
    with page.expect_navigation():
        page.click("#promise-save")
    page.wait_for_selector("[data-testid=promise-state]")
    promise = Promise.objects.get()
    assert promise.state == "draft"
    submit = page.locator("[data-testid=transition-feasibility_review]")
    assert submit.inner_text() == "Zur Prüfung an G1"
    with page.expect_navigation():
        submit.click()
    page.wait_for_selector("[data-testid=promise-state][data-state=feasibility_review]")
    assert page.locator("[data-testid=review-open-G1]").count() == 0  # four eyes
    page.screenshot(path=str(screenshot_dir / "g1-sales-submitted-de.png"))

    # then: the service manager answers the G1 checklist, attaches evidence and approves
    login(page, base, "manni")
    page.goto(f"{base}/promises/{promise.pk}/")
    page.screenshot(path=str(screenshot_dir / "g1-manager-promise-de.png"), full_page=True)
    with page.expect_navigation():
        page.click("[data-testid=review-open-G1]")
    page.wait_for_selector("[data-testid=answers-save]")
    answers = page.locator("select[data-testid^=answer-]")
    for i in range(answers.count()):
        answers.nth(i).select_option("yes")
    with page.expect_navigation():
        page.click("[data-testid=answers-save]")
    for criterion in GateDefinition.objects.get(code="G1").criteria.all():
        page.wait_for_selector("[data-testid=evidence-add]")
        page.select_option("#evidence-form #id_criterion", str(criterion.pk))
        page.select_option("#evidence-form #id_kind", "text")
        page.fill(
            "#evidence-form #id_text", "Historische Erfüllung 97 % bei vergleichbaren Versprechen."
        )
        with page.expect_navigation():
            page.click("[data-testid=evidence-add]")
    page.wait_for_selector("[data-testid=decision-submit]")
    page.select_option("#decision-form #id_decision", "pass")
    with page.expect_navigation():
        page.click("[data-testid=decision-submit]")
    page.screenshot(path=str(screenshot_dir / "g1-manager-approved-de.png"))
    promise.refresh_from_db()
    assert promise.state == "approved"
    page.goto(f"{base}/promises/{promise.pk}/")
    state = page.locator("[data-testid=promise-state]")
    assert state.get_attribute("data-state") == "approved"
    assert state.inner_text() == "Freigegeben"
