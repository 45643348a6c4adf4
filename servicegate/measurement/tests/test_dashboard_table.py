"""The dashboard's table: attainment of each promise over all its decided clocks."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from servicegate.measurement import selectors
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0


def test_each_promise_shows_attained_against_promised(
    client: Client,
    victor: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
) -> None:
    # given a 4-hour resolution promise at 90 %: 3 of 4 tickets resolved within 4 hours
    promise = make_promise(target_value=Decimal(4), attainment_percent=Decimal(90))
    for i, minutes in enumerate([60, 120, 180, 300]):
        make_ticket(f"T-{i}", [(0, "new"), (minutes, "resolved")], opened=T0 + timedelta(days=i))
    clocks_recompute(now=NOW)
    # when
    [row] = selectors.overall(promises=[promise])
    client.force_login(victor)
    html = client.get("/measurement/").content.decode()
    # then: 75 % attained, below the promised 90 %: not kept
    assert (row.n, row.met, row.kept) == (4, 3, False)
    table = html[html.index('data-testid="attainment-per-promise"') :]
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table[: table.index("</table>")]))
    assert f"{promise} {promise.scope} 4 75.0 %" in cells
    assert "90 % not kept" in cells
