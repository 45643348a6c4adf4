"""In Debian's Chromium on a 375 px phone: a customer raises a ticket and gives feedback,
in English and in German."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.accounts import roles
from servicegate.conftest import PASSWORD, make_user
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.operations.ticket_services import ticket_create, ticket_event_append
from servicegate.portal.models import CustomerContact, Feedback
from servicegate.promises.models import Promise

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TEXTS = {
    "en": {
        "tickets": "My tickets",
        "raise": "Raise a ticket",
        "raised": "was raised",
        "clocks": "Our promises on this ticket",
        "send": "Send feedback",
        "thanks": "Thank you for your feedback.",
    },
    "de": {
        "tickets": "Meine Tickets",
        "raise": "Ticket melden",
        "raised": "wurde gemeldet",
        "clocks": "Unsere Serviceversprechen zu diesem Ticket",
        "send": "Feedback senden",
        "thanks": "Vielen Dank für Ihr Feedback.",
    },
}


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _resolved(bob: User, customer: Customer, asset: Asset, title: str) -> Ticket:
    ticket = ticket_create(
        by=bob,
        title=title,
        customer_id=customer.pk,
        asset_id=asset.pk,
        priority="P2",
        opened_at=timezone.now() - timedelta(hours=3),
    )
    ticket_event_append(ticket=ticket, by=bob, status="resolved")
    return ticket


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_customer_raises_a_ticket_and_gives_feedback_on_a_phone(
    phone: Any,
    live_server: Any,
    screenshot_dir: Path,
    tmp_path: Path,
    bob: User,
    customer: Customer,
    asset: Asset,
    promise: Promise,
    language: str,
) -> None:
    text = TEXTS[language]
    kim = make_user("kim", roles.CUSTOMER)
    CustomerContact.objects.create(user=kim, customer=customer, invited_by=bob)
    done = _resolved(bob, customer, asset, "Coolant pump leaks")
    # log in: the start page sends kim to the portal
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", "kim")
    phone.fill("#id_password", PASSWORD)
    with phone.expect_navigation():
        phone.click("button[type=submit]")
    assert phone.url.endswith("/portal/")
    if language == "de":
        with phone.expect_navigation():
            phone.select_option("#language-select", "de")
    assert _fits(phone)
    phone.screenshot(path=str(screenshot_dir / f"portal-promises-{language}.png"), full_page=True)
    # raise a ticket with an attachment
    with phone.expect_navigation():
        phone.click(f"nav.portal-nav >> text={text['tickets']}")
    with phone.expect_navigation():
        phone.click("#raise-ticket")
    assert phone.locator("h1").inner_text() == text["raise"]
    log = tmp_path / "fault.log"
    log.write_text("E42 spindle overload")
    phone.fill("#id_title", "Spindle stops with E42")
    phone.select_option("#id_asset", str(asset.pk))
    phone.select_option("#id_priority", "high")
    phone.fill("#id_description", "Since the night shift.")
    phone.set_input_files("#id_attachment", str(log))
    assert _fits(phone)
    with phone.expect_navigation():
        phone.click("form.portal-form button[type=submit]")
    assert text["raised"] in phone.content()
    assert phone.locator("h2").first.inner_text() == text["clocks"]
    assert "fault.log" in phone.content()
    raised = Ticket.objects.exclude(pk=done.pk).get(customer=customer)
    assert raised.priority == "P2" and raised.clocks.exists()
    phone.screenshot(path=str(screenshot_dir / f"portal-ticket-{language}.png"), full_page=True)
    # feedback on the resolved ticket
    phone.goto(f"{live_server.url}/portal/tickets/{done.pk}/")
    phone.check("input[name=score][value='4']")
    phone.fill("#feedback textarea[name=comment]", "Fast, thank you")
    with phone.expect_navigation():
        phone.click(f"#feedback button >> text={text['send']}")
    assert text["thanks"] in phone.content()
    assert Feedback.objects.get(ticket=done).score == 4
    assert _fits(phone)
    phone.screenshot(path=str(screenshot_dir / f"portal-feedback-{language}.png"), full_page=True)
