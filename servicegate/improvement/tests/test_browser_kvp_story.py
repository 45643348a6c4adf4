"""In Debian's Chromium, in English and German: a breach cause raises a finding, the KVP
lead opens an action on it and moves it through PDCA, the effect is verified, and after
the G4 review the recommendation waits in the inbox of the promise's maker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from servicegate.accounts import roles
from servicegate.conftest import make_user
from servicegate.core.tests.test_browser import login
from servicegate.improvement.breaches import breach_findings_raise
from servicegate.improvement.models import Action
from servicegate.measurement.models import ClockSummary
from servicegate.promises.models import Promise
from servicegate.promises.walkthrough import review_through

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(params=["en-GB", "de-DE"])
def page(request: Any, browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale=request.param, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.locale = request.param
    yield page
    context.close()


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.django_db(transaction=True)
def test_breach_cause_to_recommendation_in_the_makers_inbox(
    page: Any, live_server: Any, screenshot_dir: Path, make_promise: Any
) -> None:
    # given a promise whose queue breaches passed the threshold this month
    lang = page.locale[:2]
    make_user("kvp_lead", roles.SERVICE_MANAGER)
    quality = make_user("kvp_quality", roles.QUALITY_MANAGER)
    promise: Promise = make_promise(title="P2 response in 4 h")
    today = timezone.now().date()
    for back in range(1, 31):  # before the action: 6 of 10 met a day
        ClockSummary.objects.create(promise=promise, day=today - timedelta(days=back), n=10, met=6)
    ClockSummary.objects.create(promise=promise, day=today, n=8, met=0, cause="queue")
    (finding,) = breach_findings_raise()
    base = live_server.url

    # when the KVP lead opens an action on the finding
    login(page, base, "kvp_lead")
    page.goto(f"{base}/improvement/?source=breach")
    click_and_wait(page, f"a[href='/improvement/findings/{finding.pk}/']")
    click_and_wait(page, "[data-testid=action-new]")
    page.fill("#id_title", "Second shift for the evening queue")
    page.fill("#id_window_days", "30")
    click_and_wait(page, "[data-testid=action-save]")
    action = Action.objects.get()
    assert page.locator("[data-testid=stage-plan]").get_attribute("aria-current") == "step"
    click_and_wait(page, "[data-testid=move-next]")  # plan → do
    # a month passes with the action in place (the story moves a month into the past),
    # and now 10 of 10 are met a day
    month = timedelta(days=31)
    for row in ClockSummary.objects.filter(met=6):
        ClockSummary.objects.filter(pk=row.pk).update(day=row.day - month)
    action.refresh_from_db()
    assert action.baseline_from is not None and action.baseline_to is not None
    Action.objects.filter(pk=action.pk).update(
        baseline_from=action.baseline_from - month,
        baseline_to=action.baseline_to - month,
        after_from=timezone.now() - month,
        stage_changed_at=timezone.now() - month,
    )
    for back in range(1, 31):
        ClockSummary.objects.create(promise=promise, day=today - timedelta(days=back), n=10, met=10)
    page.reload()
    click_and_wait(page, "[data-testid=move-next]")  # do → check: the effect is measured
    verdict = page.locator("[data-testid=verdict]").inner_text()
    assert ("verbessert" if lang == "de" else "improved") in verdict
    assert page.locator("[data-testid=effect] svg").count() == 1
    page.screenshot(path=str(screenshot_dir / f"kvp-effect-{lang}.png"))
    click_and_wait(page, "[data-testid=move-next]")  # check → act
    assert page.locator("[data-testid=stage-act]").get_attribute("aria-current") == "step"

    # then G4 decides and the maker (sales) finds the recommendation in the inbox
    Promise.objects.filter(pk=promise.pk).update(state="under_review")
    promise.refresh_from_db()
    review = review_through(promise, "G4", by=quality)
    page.goto(f"{base}/promises/reviews/{review.pk}/")
    assert page.locator("[data-testid=g4-recommendation]").is_visible()
    page.context.clear_cookies()
    login(page, base, "alice")
    page.goto(f"{base}/inbox/")
    item = page.locator(f"a[href='/promises/reviews/{review.pk}/']").first
    assert item.is_visible()
    label = "G4-Empfehlung" if lang == "de" else "G4 recommendation"
    assert label in page.content()
    page.screenshot(path=str(screenshot_dir / f"kvp-inbox-{lang}.png"))
