"""In Debian's Chromium: the API docs page renders every operation, offline, behind login.

Swagger UI reads the OpenAPI document with a YAML parser, which refuses a duplicated key
("Parser error: duplicated mapping key") and then reports that the document has no valid
version field; the page must show every operation instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from servicegate.accounts import roles
from servicegate.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def operation_count(client: Client) -> int:
    document = client.get("/api/v1/openapi.json").json()
    return sum(
        1 for operations in document["paths"].values() for method in operations if method in METHODS
    )


@pytest.mark.django_db(transaction=True)
def test_the_manager_sees_every_operation_and_no_parser_error(
    page: Any, live_server: Any, screenshot_dir: Path
) -> None:
    # given a service manager and the number of operations the document lists
    make_user("u_docs", roles.SERVICE_MANAGER)
    expected = operation_count(Client())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else elsewhere.append(r.url),
    )
    # when they log in on the way to the docs page
    page.goto(f"{live_server.url}/api/v1/docs")
    assert "/accounts/login/" in page.url, "the docs page needs a login"
    page.fill("#id_username", "u_docs")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    # then Swagger UI lists every operation, says nothing about a parser error and
    # loaded nothing from another host
    page.locator(".opblock").nth(expected - 1).wait_for()
    page.screenshot(path=str(screenshot_dir / "api-docs.png"))
    body = page.inner_text("body")
    assert "Parser error" not in body
    assert "Unable to render this definition" not in body
    assert page.locator(".opblock").count() == expected
    assert "OAS 3.1" in body
    assert not errors, errors
    assert not elsewhere, elsewhere
