"""The staffing calculator page: result table and chart, HTMX fragment, bad input sentences."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.planning.tests.conftest import login

URL = "/planning/staffing/"
GOOD = {
    "arrivals": "100",
    "interval_minutes": "30",
    "aht_seconds": "180",
    "target_service_level": "0.8",
    "answer_within_seconds": "20",
    "shrinkage": "0.3",
    "max_occupancy": "1",
    "patience_seconds": "",
    "agents": "",
}


def _post(user: User, *, htmx: bool = False, **over: str) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return login(user).post(URL, GOOD | over, headers=headers)


def test_viewer_sees_the_textbook_result_with_a_chart(victor: User) -> None:
    """100 calls per 30 min, AHT 180 s, 80 % in 20 s → 14 agents, 20 positions at 30 %."""
    response = login(victor).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="staffing-agents">14<' in html
    assert 'data-testid="staffing-positions">20<' in html
    assert "88.8 %" in html  # service level at 14 agents
    assert "<svg" in html and "Service level by number of agents" in html


def test_htmx_post_returns_only_the_result_fragment(victor: User) -> None:
    response = _post(victor, htmx=True, agents="16")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="staffing-agents">16<' in html
    assert "agents (given)" in html


def test_erlang_a_shows_the_abandon_probability(victor: User) -> None:
    html = _post(victor, agents="14", patience_seconds="300").content.decode()
    assert "Erlang A" in html
    assert "1.4 %" in html  # P(abandon) 0.013984


@pytest.mark.parametrize(
    ("field", "value", "sentence"),
    [
        (
            "aht_seconds",
            "0",
            "average handling time in seconds (aht_seconds=0.0) must be a positive",
        ),
        ("arrivals", "-5", "arrival rate per second"),
        ("target_service_level", "1.5", "must lie strictly between 0 and 1"),
        ("shrinkage", "1", "The shrinkage (shrinkage=1.0) must be at least 0 and below 1"),
        ("agents", "3", "must be below the number of agents (agents=3) for Erlang C"),
    ],
)
def test_bad_input_shows_the_engine_sentence(
    victor: User, field: str, value: str, sentence: str
) -> None:
    response = login(victor).post(URL, GOOD | {field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="staffing-error"' in html
    assert sentence in html
    assert 'id="staffing-form"' in html  # the form stays beside the message


def test_unreachable_target_is_a_sentence(victor: User) -> None:
    html = _post(victor, htmx=True, max_occupancy="0.01").content.decode()
    assert "No staffing up to the agent limit" in html


def test_a_word_instead_of_a_number_is_a_form_error(victor: User) -> None:
    response = _post(victor, arrivals="many")
    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()


def test_anonymous_is_sent_to_the_login(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code in (302, 403)
