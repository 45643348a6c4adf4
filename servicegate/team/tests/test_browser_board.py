"""In Chromium, in German and in English: the team lead drags cards across the board;
a drop on a column at its WIP limit asks for an override reason, which the board shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from servicegate.accounts import roles
from servicegate.conftest import make_user
from servicegate.promises.tests.test_browser_g1_flow import login
from servicegate.team import services
from servicegate.team.board_services import card_add, card_move
from servicegate.team.models import Card

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TEXTS = {
    "de-DE": {"title": "Board", "limit": "Am WIP-Limit", "override": "WIP-Überschreitung"},
    "en": {"title": "Board", "limit": "At its WIP limit", "override": "WIP override"},
}


@pytest.fixture(params=["de-DE", "en"])
def page(request: Any, browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale=request.param, extra_http_headers={"Accept-Language": request.param}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.language = request.param
    yield page
    context.close()


def _column(card: Card) -> str:
    card.refresh_from_db()
    return card.column.key


@pytest.mark.django_db(transaction=True)
def test_the_lead_drags_cards_and_overrides_the_wip_limit(
    page: Any, live_server: Any, screenshot_dir: Path
) -> None:
    # given a team whose In progress column holds one card at a limit of one
    manager = make_user("manni", roles.SERVICE_MANAGER)
    lead = make_user("deniz", roles.DISPATCHER)
    team = services.team_create(by=manager, name="Service Süd")
    services.team_member_add(team=team, user=lead, role="lead", by=manager)
    services.column_update(column=team.columns.get(key="doing"), wip_limit=1, by=manager)
    busy = card_add(team=team, by=lead, title="Pumpe tauschen")
    card_move(card=busy, to="doing", by=lead)
    first = card_add(team=team, by=lead, title="Ventil prüfen")
    second = card_add(team=team, by=lead, title="Steuerung flashen")
    texts = TEXTS[page.language]
    base = live_server.url
    login(page, base, "deniz")
    page.goto(f"{base}/team/board/?team={team.pk}")
    assert texts["limit"] in page.locator("[data-testid=column-doing]").inner_text()

    # when the lead drags a card to a column with room
    with page.expect_navigation():
        page.drag_and_drop(f"#card-{first.pk}", "[data-testid=column-waiting]")
    # then it moved
    assert _column(first) == "waiting"
    assert page.locator("[data-testid=column-waiting]").get_by_text("Ventil prüfen").count() == 1

    # when the lead drags a card into the full column and gives a reason
    reason = "Linie steht beim Kunden" if page.language == "de-DE" else "Customer line is down"
    page.once("dialog", lambda dialog: dialog.accept(reason))
    with page.expect_navigation():
        page.drag_and_drop(f"#card-{second.pk}", "[data-testid=column-doing]")
    # then it is in, and the board shows why
    assert _column(second) == "doing"
    shown = page.locator(f"[data-testid=override-{second.pk}]").inner_text()
    assert shown == f"{texts['override']}: {reason}"
    page.screenshot(path=str(screenshot_dir / f"team-board-{page.language}.png"), full_page=True)
