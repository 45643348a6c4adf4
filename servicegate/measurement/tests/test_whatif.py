"""What-if replay: past tickets under other terms, beside the actual attainment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from servicegate.measurement.models import Clock
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0
from servicegate.measurement.whatif import whatif_replay


def test_replay_with_longer_target_and_pause(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    promise = make_promise(target_value=Decimal(2), clock_pause_statuses=[])
    make_ticket("A", [(0, "new"), (60, "resolved")])  # 1 h
    make_ticket("B", [(0, "new"), (180, "resolved")], opened=T0 + timedelta(days=1))  # 3 h
    make_ticket(  # 5 h of which 3 h waiting for the customer
        "C",
        [(0, "new"), (60, "awaiting_customer"), (240, "in_progress"), (300, "resolved")],
        opened=T0 + timedelta(days=2),
    )
    clocks_recompute(now=NOW)
    before = list(Clock.objects.order_by("pk").values_list("state", flat=True))
    # when replayed with 4 h
    replay = whatif_replay(promise=promise, target_value=Decimal(4), now=NOW)
    assert (replay.actual.n, replay.actual.met) == (3, 1)
    assert (replay.replay.n, replay.replay.met) == (3, 2)
    # and with the customer pause as well
    paused = whatif_replay(
        promise=promise, target_value=Decimal(4), pause_statuses=["awaiting_customer"], now=NOW
    )
    assert (paused.replay.n, paused.replay.met) == (3, 3)
    assert len(paused.rows) == 1 and paused.rows[0].replay.met == 3
    # nothing was written
    assert list(Clock.objects.order_by("pk").values_list("state", flat=True)) == before
