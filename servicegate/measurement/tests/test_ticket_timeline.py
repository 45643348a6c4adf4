"""A ticket's clock timeline: status stretches, the breach and the deadline on one bar."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0


def _bar(html: str) -> tuple[list[tuple[float, str]], float]:
    bar = html[html.index('class="clock-bar"') :]
    bar = bar[: bar.index("</div>")]
    widths = [
        (float(w), colour)
        for w, colour in re.findall(r"width:([0-9.]+)%;background:(#[0-9a-f]{6})", bar)
    ]
    (deadline,) = re.findall(r"left:([0-9.]+)%", bar)
    return widths, float(deadline)


def test_breach_and_deadline_on_the_bar_in_german(
    client: Client,
    bob: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
) -> None:
    # given a 4-hour resolution clock, waiting 2 h for the customer (a pause), resolved at 8 h
    make_promise(target_value=Decimal(4), clock_pause_statuses=["awaiting_customer"])
    ticket = make_ticket(
        "LATE",
        [(0, "new"), (60, "awaiting_customer"), (180, "in_progress"), (480, "resolved")],
        opened=T0,
    )
    clocks_recompute(now=NOW)
    client.force_login(bob)
    # when the page is read in German (decimal commas elsewhere on the page)
    html = client.get(f"/operations/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="de").content
    widths, deadline = _bar(html.decode())
    # then: 1 h running, 2 h paused, 3 h running up to the breach (4 business hours at
    # 6 h wall time, the pause not counting), then 2 h after the breach: 8 h in all
    assert [round(w * 8 / 100, 2) for w, _c in widths] == [1.0, 2.0, 3.0, 2.0]
    assert [c for _w, c in widths] == ["#0b5cab", "#9a6700", "#0b5cab", "#c62828"]
    assert round(deadline * 8 / 100, 2) == 6.0
    assert "nach der Verletzung" in html.decode()


def test_a_clock_met_early_leaves_the_slack_blank(
    client: Client,
    bob: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
) -> None:
    make_promise(target_value=Decimal(4))
    ticket = make_ticket("FAST", [(0, "new"), (60, "resolved")], opened=T0 + timedelta(days=1))
    clocks_recompute(now=NOW)
    client.force_login(bob)
    widths, deadline = _bar(client.get(f"/operations/tickets/{ticket.pk}/").content.decode())
    # the bar spans the 4 hours up to the deadline; the clock ran for the first one
    assert [w for w, _c in widths] == [25.0]
    assert deadline == 100.0
