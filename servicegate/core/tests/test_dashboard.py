"""The dashboard shows the panels the apps offer, in the order settings list them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from servicegate.core.dashboard import Panel, dashboard_panels, figure_panel

pytestmark = pytest.mark.django_db


def _labels(html: str) -> list[str]:
    return [part.split("</span>")[0] for part in html.split('<span class="label">')[1:]]


def test_the_key_figures_come_from_the_apps_in_order(
    client: Client, victor: User, customer: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(victor)
    with django_assert_max_num_queries(11):  # one count per panel
        panels = dashboard_panels()
    assert [(p.context["value"], str(p.context["label"])) for p in panels] == [
        (1, "customer segments"),
        (1, "customers"),
        (0, "technicians"),
        (0, "promises kept in service"),
        (0, "open tickets"),
        (0, "open findings"),
        (0, "improvement actions running"),
        (0, "cards in progress"),
        (0, "active preventive plans"),
        (0, "open condition alarms"),
        (0, "visits planned today"),
    ]
    page = client.get("/").content.decode()
    assert _labels(page) == [str(p.context["label"]) for p in panels]
    assert "Your roles: Viewer" in page


def only_one_panel() -> Panel:
    return figure_panel(42, "answers")


@override_settings(
    SERVICEGATE_DASHBOARD_PANELS=["servicegate.core.tests.test_dashboard.only_one_panel"]
)
def test_a_panel_listed_in_settings_is_shown(client: Client, victor: User) -> None:
    client.force_login(victor)
    page = client.get("/").content.decode()
    assert _labels(page) == ["answers"]
    assert '<span class="value">42</span>' in page
