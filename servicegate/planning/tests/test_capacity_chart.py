"""The capacity chart draws in every language: SVG coordinates are plain numbers, never
written with a German decimal comma (which left the German chart empty)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.operations.models import Customer
from servicegate.planning.tests.conftest import login
from servicegate.planning.tests.test_capacity_hands_on import OFFICE, _ticket
from servicegate.team.models import Technician

COORDINATE = re.compile(r'\b(x|y|x1|x2|y1|y2|width|height)="([^"]*)"')


@pytest.fixture
def office(db: None) -> BusinessCalendar:
    calendar = BusinessCalendar.objects.create(
        name="Office", timezone="Europe/Berlin", definition=OFFICE
    )
    Technician.objects.create(name="A", home_base="Ulm", calendar=calendar)
    return calendar


def _coordinates(page: str) -> list[str]:
    chart = page[page.index('data-testid="capacity-chart"') :]
    chart = chart[: chart.index("</svg>")]
    return [value for _name, value in COORDINATE.findall(chart)]


def test_the_german_chart_has_the_same_coordinates_as_the_english_one(
    office: BusinessCalendar, customer: Customer, bob: User
) -> None:
    for n in range(20):
        _ticket(n, customer, [(0, "new"), (1, "in_progress"), (2.4, "resolved")])
    client = login(bob)
    english = _coordinates(client.get("/planning/capacity/?weeks=2").content.decode())
    german = _coordinates(
        client.get(
            "/planning/capacity/?weeks=2", headers={"accept-language": "de"}
        ).content.decode()
    )
    assert any("." in value for value in english), "a fractional coordinate to write"
    assert german == english
    for value in german:
        float(value)  # a plain number: "12,5" would raise
