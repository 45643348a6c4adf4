"""Attainment tables list the worst first and mark the current, incomplete period as
partial (tables and the trend chart), with its count of decided clocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from servicegate.measurement.services import clocks_recompute
from servicegate.promises.models import Promise


@pytest.fixture
def p1(
    make_promise: Callable[..., Promise],
    make_ticket: Callable[..., Any],
    client: Client,
    victor: Any,
) -> Promise:
    """P2 tickets all met, P1 tickets all missed (one decided an hour ago); the client
    logged in as the viewer. Returns the P1 promise."""
    client.force_login(victor)
    make_promise(priority="P2")
    p1 = make_promise(priority="P1")
    make_ticket("A-1", [(0, "new"), (60, "resolved")], priority="P2")
    make_ticket("B-1", [(0, "new"), (600, "resolved")], priority="P1")
    opened = timezone.now() - timedelta(hours=6)
    make_ticket("B-2", [(0, "new"), (300, "resolved")], priority="P1", opened=opened)
    clocks_recompute()
    return p1


def test_worst_first(p1: Promise, client: Client) -> None:
    page = client.get("/measurement/attainment/?group_by=promise").content.decode()
    body = page[page.index('data-testid="attainment"') :]
    assert body.index(str(p1)) < body.index("P2 ≤")


def test_current_period_is_partial(p1: Promise, client: Client) -> None:
    # the attainment table per month: the current month is marked, earlier ones not
    table = client.get(f"/measurement/attainment/?group_by=promise&period=month&promise={p1.pk}")
    assert table.content.decode().count('data-testid="partial-period"') == 1
    csv = client.get(
        f"/measurement/attainment/?group_by=promise&period=month&promise={p1.pk}&format=csv"
    ).content.decode()
    assert [line.endswith(",yes") for line in csv.splitlines()[1:]] == [False, True]
    # the promise's page
    page = client.get(f"/measurement/promises/{p1.pk}/?period=month").content.decode()
    assert page.count('data-testid="partial-period"') == 1
    # the dashboard's trend chart names the partial period and its count
    month = timezone.now().strftime("%Y-%m")
    chart = client.get(f"/measurement/?promise={p1.pk}&period=month").content.decode()
    assert f"{month} (partial: 1 clock)" in chart
