"""The forecast page and `servicegate forecast-db` on ticket history in the database."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from servicegate.operations.models import Customer, Ticket
from servicegate.planning.tests.conftest import login

WEEKDAY_MEAN = np.array([20.0, 22.0, 18.0, 20.0, 15.0, 4.0, 2.0])


def _seasonal_tickets(customer: Customer, days: int, seed: int = 7) -> int:
    """Reactive tickets with a weekday pattern over the last ``days`` days."""
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    rows: list[Ticket] = []
    for d in range(days, 0, -1):
        day = today - dt.timedelta(days=d)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
        count = int(rng.poisson(WEEKDAY_MEAN[day.weekday()]))
        for _ in range(count):
            opened = start + dt.timedelta(minutes=int(rng.integers(0, 600)))
            n = len(rows)
            rows.append(
                Ticket(
                    external_id=f"S{n}",
                    number=f"S{n}",
                    kind="incident",
                    priority="P3",
                    customer=customer,
                    opened_at=opened,
                    status="new",
                )
            )
    Ticket.objects.bulk_create(rows)
    return len(rows)


def test_forecast_shows_band_and_backtest_against_seasonal_naive(
    victor: User, customer: Customer
) -> None:
    _seasonal_tickets(customer, days=112)
    response = login(victor).get("/planning/forecast/", {"freq": "day", "horizon": "14"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lower bound" in html and "Upper bound" in html and "<svg" in html
    assert 'data-testid="forecast-backtest"' in html
    model = float(html.split('data-testid="model-mase">')[1].split("<")[0])
    naive = float(html.split('data-testid="naive-mase">')[1].split("<")[0])
    assert model <= naive  # the weekday model is no worse than last week repeated


def test_filters_narrow_the_tickets(victor: User, customer: Customer) -> None:
    _seasonal_tickets(customer, days=60)
    response = login(victor).get(
        "/planning/forecast/", {"freq": "day", "horizon": "7", "priority": "P1"}
    )
    assert "There are no reactive tickets in this selection yet" in response.content.decode()


def test_too_few_days_are_said_plainly(victor: User, customer: Customer) -> None:
    _seasonal_tickets(customer, days=5)
    html = login(victor).get("/planning/forecast/").content.decode()
    assert "Too few data" in html
    assert "at least 14 days" in html


def test_htmx_filter_returns_the_fragment(victor: User, customer: Customer) -> None:
    _seasonal_tickets(customer, days=40)
    response = login(victor).get(
        "/planning/forecast/", {"freq": "hour", "horizon": "2"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "too short for a backtest" not in html or "forecast is shown" in html
    assert "<svg" in html


def test_forecast_db_command_prints_json(customer: Customer) -> None:
    _seasonal_tickets(customer, days=70)
    out = StringIO()
    call_command("forecast_db", "--horizon", "7", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert set(body) == {"arrivals", "history_days", "forecast", "backtest", "message"}
    assert len(body["forecast"]["buckets"]) == 7
    assert body["backtest"]["naive_mase"] > 0


def test_forecast_db_unknown_segment_is_one_sentence(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="There is no segment 'Nowhere'") as err:
        call_command("forecast_db", "--segment", "Nowhere")
    assert err.value.returncode == 2
