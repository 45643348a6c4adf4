"""The planning overview links the calculators and says plainly what is not built yet."""

from __future__ import annotations

from django.contrib.auth.models import User

from servicegate.planning.tests.conftest import login


def test_overview_links_staffing_and_forecast_and_names_what_is_next(victor: User) -> None:
    response = login(victor).get("/planning/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/planning/staffing/"' in html
    assert 'href="/planning/forecast/"' in html
    assert "Not built yet." in html
    assert "Reliability" in html and "preventive" in html
