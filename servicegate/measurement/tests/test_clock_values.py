"""Clock values computed from hand-made event histories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from servicegate.measurement.models import Clock
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0


def clock_of(ticket: Any) -> Clock:
    return Clock.objects.get(ticket=ticket)


def test_pause_on_awaiting_customer_does_not_count(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    """Two hours waiting for the customer are paused: 3 h of 4 h used, met."""
    make_promise(target_value=Decimal(4))
    ticket = make_ticket(
        "T-1",
        [(0, "new"), (60, "awaiting_customer"), (180, "in_progress"), (300, "resolved")],
    )
    clocks_recompute(now=NOW)
    clock = clock_of(ticket)
    assert clock.state == "met"
    assert clock.business_elapsed_s == 3 * 3600
    assert clock.paused_s == 2 * 3600
    assert clock.elapsed_s == 5 * 3600
    assert clock.stopped_at == T0 + timedelta(hours=5)
    assert clock.deadline == T0 + timedelta(hours=6)  # 4 h plus the 2 h pause
    assert not clock.breached
    assert clock.decided_at == clock.stopped_at


def test_breach_instant_and_cause(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    """Resolved after 6 h of queue and work: breached at 4 h, cause is the longest status."""
    make_promise(target_value=Decimal(4))
    ticket = make_ticket("T-2", [(0, "new"), (300, "in_progress"), (360, "resolved")])
    clocks_recompute(now=NOW)
    clock = clock_of(ticket)
    assert clock.state == "missed"
    assert clock.breach_at == T0 + timedelta(hours=4)
    assert clock.decided_at == clock.breach_at
    assert clock.cause == "queue"


def test_priority_change_selects_the_promise_of_the_new_priority(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    """P3 → P2 after an hour: the P2 promise measures from the start with its target."""
    p2 = make_promise(priority="P2", target_value=Decimal(2))
    make_promise(priority="P3", target_value=Decimal(8))
    ticket = make_ticket(
        "T-3", [(0, "new", "P3"), (60, "in_progress", "P2"), (150, "resolved")], priority="P3"
    )
    clocks_recompute(now=NOW)
    clock = clock_of(ticket)
    assert clock.promise == p2
    assert clock.target_s == 2 * 3600
    assert clock.started_at == T0
    assert clock.state == "missed"
    assert clock.breach_at == T0 + timedelta(hours=2)


def test_reopen_resumes_the_clock(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    """Resolved after 1 h, reopened a day later, resolved 2 h after: 3 h used, 2 cycles."""
    make_promise(target_value=Decimal(4))
    ticket = make_ticket(
        "T-4",
        [(0, "new"), (60, "resolved"), (24 * 60, "in_progress"), (24 * 60 + 120, "resolved")],
    )
    clocks_recompute(now=NOW)
    clock = clock_of(ticket)
    assert clock.business_elapsed_s == 3 * 3600
    assert clock.cycles == 2
    assert clock.state == "met"


def test_reopen_with_new_cycle_restarts(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    make_promise(target_value=Decimal(4), reopen_behaviour="new_cycle")
    ticket = make_ticket(
        "T-5",
        [(0, "new"), (60, "resolved"), (24 * 60, "in_progress"), (24 * 60 + 120, "resolved")],
    )
    clocks_recompute(now=NOW)
    clock = clock_of(ticket)
    assert clock.business_elapsed_s == 2 * 3600
    assert clock.started_at == T0 + timedelta(days=1)


def test_first_response_stops_at_work_started_or_responded_at(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    """Response stops at in_progress (90 min), or earlier at responded_at (30 min)."""
    make_promise(metric="first_response", target_value=Decimal(1))
    late = make_ticket("T-6", [(0, "new"), (10, "assigned"), (90, "in_progress")])
    early = make_ticket(
        "T-7",
        [(0, "new"), (90, "in_progress"), (120, "new"), (500, "resolved")],
        responded_at=T0 + timedelta(minutes=30),
    )
    clocks_recompute(now=NOW)
    assert clock_of(late).state == "missed"
    assert clock_of(late).stopped_at == T0 + timedelta(minutes=90)
    assert clock_of(early).state == "met"
    assert clock_of(early).business_elapsed_s == 30 * 60
    assert clock_of(early).cycles == 1  # events after the response are ignored


def test_business_hours_on_office_calendar(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any], office: Any
) -> None:
    """Opened Monday 15:00, 2 business hours: deadline Tuesday 09:00."""
    make_promise(target_value=Decimal(2), target_unit="business_hours", calendar=office)
    ticket = make_ticket("T-8", [(0, "new")], opened=T0 + timedelta(hours=7))
    clocks_recompute(now=T0 + timedelta(hours=8))
    clock = clock_of(ticket)
    assert clock.state == "running"
    assert clock.deadline == T0 + timedelta(days=1, hours=1)
    assert clock.business_elapsed_s == 3600


def test_business_days_use_open_hours_per_weekday(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any], office: Any
) -> None:
    """One business day on a Mon–Fri 8-hour calendar is 8 business hours."""
    make_promise(target_value=Decimal(1), target_unit="business_days", calendar=office)
    ticket = make_ticket("T-9", [(0, "new")])
    clocks_recompute(now=NOW)
    assert clock_of(ticket).target_s == 8 * 3600


def test_recompute_replaces_clocks(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    make_promise()
    make_ticket("T-10", [(0, "new"), (60, "resolved")])
    clocks_recompute(now=NOW)
    clocks_recompute(now=NOW)
    assert Clock.objects.count() == 1


def test_tickets_no_promise_can_apply_to_do_not_disturb_the_others(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    """Preventive and P4 tickets between measured ones: each clock keeps its own history."""
    make_promise(target_value=Decimal(4), priority="P2")
    make_ticket(
        "X-0", [(0, "new"), (600, "awaiting_customer"), (700, "resolved")], kind="maintenance"
    )
    measured = make_ticket("T-1", [(0, "new"), (120, "resolved")])
    late = make_ticket("T-2", [(0, "new"), (60, "awaiting_customer"), (400, "resolved")])
    for i in range(3):  # ids above every measured ticket
        make_ticket(f"X-{i + 1}", [(0, "new"), (600, "resolved")], kind="maintenance")
        make_ticket(f"Y-{i}", [(0, "awaiting_customer"), (900, "resolved")], priority="P4")
    clocks_recompute(now=NOW)
    assert Clock.objects.count() == 2
    assert clock_of(measured).business_elapsed_s == 2 * 3600
    assert clock_of(measured).state == "met"
    assert clock_of(late).paused_s == (400 - 60) * 60
    assert clock_of(late).business_elapsed_s == 3600


def test_clocks_carry_the_tickets_customer_team_channel_and_priority(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any], customer: Any
) -> None:
    make_promise()
    make_ticket(
        "A", [(0, "new"), (60, "resolved")], opened=T0, channel="on_site", assignment_group="North"
    )
    make_ticket("B", [(0, "new", "P1"), (30, "resolved")], opened=T0, assignment_group="South")
    clocks_recompute(now=NOW)
    got = sorted(
        Clock.objects.values_list("ticket__number", "customer_id", "team", "channel", "priority")
    )
    assert got == [
        ("A", customer.pk, "North", "on_site", "P2"),
        ("B", customer.pk, "South", "remote", "P1"),
    ]
