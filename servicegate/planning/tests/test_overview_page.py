"""The planning overview links the calculators and the areas planning works with."""

from __future__ import annotations

from django.contrib.auth.models import User

from servicegate.planning.tests.conftest import login


def test_overview_links_the_calculators_preventive_services_and_scheduling(victor: User) -> None:
    response = login(victor).get("/planning/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/planning/staffing/"' in html
    assert 'href="/planning/forecast/"' in html
    assert 'href="/planning/capacity/"' in html
    assert 'href="/maintenance/"' in html and 'href="/scheduling/"' in html
    assert "Not built yet." not in html
