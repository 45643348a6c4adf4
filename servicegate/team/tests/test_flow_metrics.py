"""Flow figures against the cards: weekly throughput adds up to the cards finished in
the window, cycle times are done − started, p50/p85 are numpy's linear percentiles."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.team.board_services import card_add, card_move
from servicegate.team.models import Card, Team
from servicegate.team.tests.conftest import send


def test_flow_figures_match_the_cards(team: Team, bob: User, dana: User) -> None:
    # given cards that started and finished at known times over ten weeks
    now = timezone.now()
    rng = np.random.default_rng(5)
    expected: list[float] = []
    in_window = 0
    for i in range(25):
        arrived = now - timedelta(days=float(rng.uniform(20, 75)))
        card = card_add(team=team, by=bob, title=f"W{i}", at=arrived)
        started = arrived + timedelta(days=float(rng.uniform(0, 5)))
        card_move(card=card, to="doing", by=dana, at=started, override_reason="set-up")
        if i % 5 == 4:
            continue  # still in progress
        done = started + timedelta(days=float(rng.uniform(0.5, 15)))
        if done >= now:
            continue
        card_move(card=card, to="done", by=dana, at=done)
        if done >= now - timedelta(weeks=8):
            in_window += 1
            expected.append((done - started).total_seconds() / 86400)
    # when the flow of the last eight weeks is read
    body = send(dana, "get", "/api/v1/flow", {"weeks": 8, "team": team.pk}).json()
    # then
    assert len(body["throughput"]) == 8
    assert sum(w["done"] for w in body["throughput"]) == in_window
    assert sorted(body["cycle_times_days"]) == pytest.approx(sorted(expected), abs=1e-3)
    assert body["cycle_time_p50_days"] == pytest.approx(np.percentile(body["cycle_times_days"], 50))
    assert body["cycle_time_p85_days"] == pytest.approx(np.percentile(body["cycle_times_days"], 85))
    open_cards = Card.objects.filter(team=team, done_at__isnull=True)
    assert body["wip"] == open_cards.count() == 5
    assert [a["id"] for a in body["aging"]] == [
        c.pk for c in sorted(open_cards, key=lambda c: -c.age_days(now))
    ]


def test_a_window_outside_1_to_104_weeks_is_refused(team: Team, dana: User) -> None:
    response = send(dana, "get", "/api/v1/flow", {"weeks": 0})
    assert response.status_code == 422
    assert response.json()["detail"] == "Ask for 1 to 104 weeks of flow."


def test_the_flow_page_draws_the_three_charts(team: Team, bob: User, client: object) -> None:
    card = card_add(team=team, by=bob, title="W", at=timezone.now() - timedelta(days=9))
    card_move(card=card, to="doing", by=bob, at=timezone.now() - timedelta(days=8))
    card_move(card=card, to="done", by=bob, at=timezone.now() - timedelta(days=2))
    client.force_login(bob)  # type: ignore[attr-defined]
    html = client.get(f"/team/flow/?team={team.pk}").content.decode()  # type: ignore[attr-defined]
    for chart in ("chart-cfd", "chart-cycle", "chart-throughput"):
        assert f'data-testid="{chart}"' in html
    assert 'data-line="p85"' in html


def test_the_flow_reads_in_a_fixed_number_of_queries(
    team: Team, bob: User, django_assert_max_num_queries: object
) -> None:
    from servicegate.team.selectors import flow

    def cards(n: int) -> None:
        for i in range(n):
            card = card_add(team=team, by=bob, title=f"C{i}", at=timezone.now() - timedelta(days=9))
            card_move(
                card=card,
                to="doing",
                by=bob,
                at=timezone.now() - timedelta(days=5),
                override_reason="x",
            )
            card_move(card=card, to="done", by=bob, at=timezone.now() - timedelta(days=1))

    cards(2)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        flow(team, weeks=4, now=timezone.now())
    cards(10)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        assert sum(flow(team, weeks=4, now=timezone.now()).throughput) == 12
