"""In Chromium, in German and in English, the whole story of a promise: sales drafts and
submits it, the service manager finds it in the inbox and decides G1 with evidence, sales
commits, G2 and G3 are decided, the promise is in service, and a successor revises it
through the same gates and retires it. The shortcuts around the gates are not offered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from servicegate.accounts import roles
from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.conftest import make_user
from servicegate.promises.models import GateDefinition, GateReview, Promise
from servicegate.promises.tests.test_browser_g1_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STATE_LABELS = {
    "de": {"approved": "Freigegeben", "in_service": "Im Service", "retired": "Außer Dienst"},
    "en": {"approved": "Approved", "in_service": "In service", "retired": "Retired"},
}
HEADERS = {"de": "de-DE", "en": "en-GB"}


@pytest.fixture(params=["de", "en"])
def page_in(request: Any, browser: Any, live_server: Any) -> Iterator[tuple[Any, str]]:
    language = request.param
    context = browser.new_context(
        locale=HEADERS[language], extra_http_headers={"Accept-Language": HEADERS[language]}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, language
    context.close()


def _click(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _state(page: Any, base: str, promise: Promise) -> tuple[str, str]:
    page.goto(f"{base}/promises/{promise.pk}/")
    state = page.locator("[data-testid=promise-state]")
    return str(state.get_attribute("data-state")), str(state.inner_text())


def _decide(page: Any, base: str, promise: Promise, code: str) -> None:
    """Open the review at ``code`` on the promise page, answer "yes", attach the evidence
    each criterion asks for, and pass it; the decision form preselects nothing."""
    page.goto(f"{base}/promises/{promise.pk}/")
    _click(page, f"[data-testid=review-open-{code}]")
    answers = page.locator("select[data-testid^=answer-]")
    for i in range(answers.count()):
        answers.nth(i).select_option("yes")
    _click(page, "[data-testid=answers-save]")
    for criterion in GateDefinition.objects.get(code=code).criteria.all():
        page.select_option("#evidence-form #id_criterion", str(criterion.pk))
        page.select_option("#evidence-form #id_kind", "text")
        page.fill("#evidence-form #id_text", f"{criterion.required_evidence}: checked.")
        _click(page, "[data-testid=evidence-add]")
    assert page.locator("#decision-form #id_decision").input_value() == ""
    page.select_option("#decision-form #id_decision", "pass")
    _click(page, "[data-testid=decision-submit]")
    assert GateReview.objects.get(promise=promise, gate__code=code).decision == "pass"


def _draft(page: Any, base: str, product: ServiceProduct, calendar: BusinessCalendar) -> Promise:
    page.goto(f"{base}/promises/new/")
    page.fill("#id_title", "P2 first response")
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
    _click(page, "#promise-save")
    return Promise.objects.get()


@pytest.mark.django_db(transaction=True)
def test_the_whole_story_of_a_promise_through_the_gates(
    page_in: tuple[Any, str], live_server: Any, screenshot_dir: Path
) -> None:
    page, language = page_in
    base, labels = live_server.url, STATE_LABELS[language]
    # given a product, a calendar, sales and a service manager
    make_user("sina", roles.SALES)
    manager = make_user("manni", roles.SERVICE_MANAGER)
    segment = Segment.objects.create(name="Automotive")
    calendar = BusinessCalendar.objects.create(
        name="Service hours",
        definition={"timezone": "Europe/Berlin", "week": {"mon": ["08:00-17:00"]}},
    )
    product = ServiceProduct.objects.create(
        name="Remote Hotline", segment=segment, owner=manager, price_amount=990
    )

    # sales drafts and submits
    login(page, base, "sina")
    promise = _draft(page, base, product, calendar)
    _click(page, "[data-testid=transition-feasibility_review]")

    # the manager sees it in the inbox on the dashboard and follows it
    login(page, base, "manni")
    page.goto(f"{base}/")
    item = page.locator(f"[data-testid=inbox-item][data-promise='{promise.pk}']")
    assert item.get_attribute("data-kind") == "g1_decision"
    page.screenshot(path=str(screenshot_dir / f"story-inbox-{language}.png"))
    _click(page, f"[data-testid=inbox-item][data-promise='{promise.pk}'] a")
    # no shortcut: approving is not offered as a plain step
    assert page.locator("[data-testid=transition-approved]").count() == 0
    _decide(page, base, promise, "G1")
    assert _state(page, base, promise) == ("approved", labels["approved"])

    # sales commits; the manager decides G2 and G3, which starts the service
    login(page, base, "sina")
    page.goto(f"{base}/promises/{promise.pk}/")
    _click(page, "[data-testid=transition-committed]")
    login(page, base, "manni")
    page.goto(f"{base}/promises/{promise.pk}/")
    assert page.locator("[data-testid=transition-in_service]").count() == 0
    _decide(page, base, promise, "G2")
    _decide(page, base, promise, "G3")
    assert _state(page, base, promise) == ("in_service", labels["in_service"])

    # sales revises it: the successor passes the same gates and retires the original
    login(page, base, "sina")
    page.goto(f"{base}/promises/{promise.pk}/")
    _click(page, "[data-testid=promise-revise]")
    successor = Promise.objects.get(replaces=promise)
    page.fill("#id_target_value", "3")
    _click(page, "#promise-save")
    assert page.locator("[data-testid=promise-replaces]").count() == 1, [
        e.inner_text() for e in page.locator(".errorlist, .notice").all()
    ]
    _click(page, "[data-testid=transition-feasibility_review]")
    login(page, base, "manni")
    _decide(page, base, successor, "G1")
    login(page, base, "sina")
    page.goto(f"{base}/promises/{successor.pk}/")
    _click(page, "[data-testid=transition-committed]")
    login(page, base, "manni")
    _decide(page, base, successor, "G2")
    _decide(page, base, successor, "G3")
    assert _state(page, base, successor) == ("in_service", labels["in_service"])
    assert _state(page, base, promise) == ("retired", labels["retired"])
    assert page.locator("[data-testid=promise-successor]").count() == 1
    page.screenshot(path=str(screenshot_dir / f"story-retired-{language}.png"), full_page=True)
