"""Attainment numbers against hand-computed cases, with Wilson intervals."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from servicegate.measurement import selectors
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0


@pytest.fixture
def four_tickets(make_promise: Callable[..., Any], make_ticket: Callable[..., Any]) -> Any:
    """3 met (1 h) and 1 missed (5 h) in March; 1 met in April-opened… decided in March too."""
    promise = make_promise(target_value=Decimal(4), attainment_percent=Decimal(90))
    for i in range(3):
        make_ticket(f"M-{i}", [(0, "new"), (60, "resolved")], opened=T0 + timedelta(days=i))
    make_ticket("X-1", [(0, "new"), (300, "resolved")], channel="on_site")
    make_ticket("O-1", [(0, "new")], opened=NOW - timedelta(hours=1))  # open, undecided
    clocks_recompute(now=NOW)
    return promise


def test_attainment_per_promise_and_month(four_tickets: Any) -> None:
    rows = selectors.attainment(group_by="promise", period="month")
    assert len(rows) == 1
    row = rows[0]
    assert (row.period, row.n, row.met) == (date(2026, 3, 1), 4, 3)
    assert row.rate == 0.75
    assert row.level == 0.9
    assert row.kept is False
    # Wilson, z = 1.959964: centre (0.75 + z²/8) / (1 + z²/4), hand-computed
    z = 1.959963984540054
    centre = (0.75 + z * z / 8) / (1 + z * z / 4)
    half = z / (1 + z * z / 4) * math.sqrt(0.75 * 0.25 / 4 + z * z / 64)
    assert row.ci_low == pytest.approx(centre - half)
    assert row.ci_high == pytest.approx(centre + half)
    assert row.ci_low == pytest.approx(0.3006, abs=1e-4)


def test_attainment_by_channel(four_tickets: Any) -> None:
    rows = {r.group: (r.n, r.met) for r in selectors.attainment(group_by="channel")}
    assert rows == {"remote": (3, 3), "on_site": (1, 0)}


def test_trend_from_summary_matches(four_tickets: Any) -> None:
    periods, per = selectors.trend(promises=[four_tickets], period="quarter")
    assert periods == [date(2026, 1, 1)]
    (cell,) = per[four_tickets.pk]
    assert (cell.n, cell.met) == (4, 3)
    assert selectors.pareto(promises=[four_tickets]) == [("queue", 1)]
