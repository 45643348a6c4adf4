"""In Debian's Chromium: every role logs in, opens every area and switches language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from servicegate.accounts import roles
from servicegate.conftest import PASSWORD, make_user
from servicegate.core.navigation import AREAS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", roles.STAFF_ROLES)
def test_each_role_logs_in_and_opens_every_area(
    page: Any, live_server: Any, screenshot_dir: Path, role: str
) -> None:
    make_user(f"u_{role}", role)
    login(page, live_server.url, f"u_{role}")
    assert page.locator("h1").first.inner_text() == "Servicegate"
    for area in AREAS:
        with page.expect_navigation():
            page.click(f"nav.mainnav a[data-area={area.key}]")
        assert page.locator("h1").count() >= 1
        assert "Not allowed" not in page.content()
        assert "Traceback" not in page.content()
        page.screenshot(path=str(screenshot_dir / f"{role}-{area.key}.png"))


@pytest.mark.django_db(transaction=True)
def test_language_switch_to_german_and_back(
    page: Any, live_server: Any, screenshot_dir: Path
) -> None:
    make_user("u_lang", roles.SERVICE_MANAGER)
    login(page, live_server.url, "u_lang")
    assert page.locator("nav.mainnav a[data-area=catalog]").inner_text() == "Service catalogue"
    with page.expect_navigation():
        page.select_option("#language-select", "de")
    assert page.locator("nav.mainnav a[data-area=catalog]").inner_text() == "Servicekatalog"
    page.screenshot(path=str(screenshot_dir / "dashboard-de.png"))
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("nav.mainnav a[data-area=catalog]").inner_text() == "Service catalogue"


@pytest.mark.django_db(transaction=True)
def test_anonymous_visitor_lands_on_the_login_page(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/planning/")
    assert "/accounts/login/" in page.url
    assert page.locator("#id_username").is_visible()
