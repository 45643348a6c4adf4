"""Two promises with the same scope in service are both measured on the same tickets."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from servicegate.measurement.models import Clock
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW


def test_a_new_promise_takes_no_clocks_from_one_in_service(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    # given an 8-hour promise in service and its tickets measured
    eight = make_promise(target_value=Decimal(8))
    tickets = [
        make_ticket(f"T-{n}", [(0, "new"), (minutes, "resolved")])
        for n, minutes in enumerate((60, 400, 600))
    ]
    clocks_recompute(now=NOW)
    assert Clock.objects.filter(promise=eight).count() == 3
    # when a 6-hour promise with the same scope goes into service
    six = make_promise(target_value=Decimal(6))
    clocks_recompute(now=NOW)
    # then both are measured on the same tickets, each against its own target
    ids = {t.pk for t in tickets}
    for promise in (eight, six):
        assert set(Clock.objects.filter(promise=promise).values_list("ticket", flat=True)) == ids
    breached = dict(Clock.objects.filter(ticket=tickets[1]).values_list("promise", "breached"))
    assert breached == {eight.pk: False, six.pk: True}
