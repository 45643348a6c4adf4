"""A clock's ``deadline`` and ``breach_at`` differ when the target runs out at a closing
edge: the demo's clock 5242 (ticket SG-0020001) shows deadline 11:00Z, breach 11:30Z."""

from __future__ import annotations

from servicegate.engines.calendars import parse_calendar
from servicegate.engines.clocks import ClockRules, StatusEvent, evaluate_clock
from servicegate.engines.tests.calendars_fixtures import at

# The demo's "Service hours DE-BY": a lunch break from 12:00 to 12:30.
SERVICE_HOURS = parse_calendar(
    """
timezone = "Europe/Berlin"
[week]
mon = ["08:00-12:00", "12:30-17:00"]
tue = ["08:00-12:00", "12:30-17:00"]
"""
)
RULES = ClockRules(
    start_statuses=frozenset({"new"}),
    stop_statuses=frozenset({"in_progress"}),
    target_seconds=4 * 3600,
)
OPENED = at("2026-11-30T22:24:59")  # Monday night, after hours


def test_target_used_up_at_lunch_breaches_when_the_calendar_reopens() -> None:
    """4 business hours from Tuesday 08:00 are used up at 12:00 (the deadline); the clock
    is first *over* its target at 12:30, when the calendar opens again (the breach)."""
    clock = evaluate_clock(
        [StatusEvent(OPENED, "new")], RULES, SERVICE_HOURS, now=at("2026-12-03T20:00")
    )
    assert clock.deadline == at("2026-12-01T12:00")  # 11:00Z
    assert clock.breach_at == at("2026-12-01T12:30")  # 11:30Z


def test_a_response_during_the_lunch_break_still_keeps_the_promise() -> None:
    """Between deadline and breach no business time passes: used time equals the target."""
    events = [StatusEvent(OPENED, "new"), StatusEvent(at("2026-12-01T12:15"), "in_progress")]
    clock = evaluate_clock(events, RULES, SERVICE_HOURS, now=at("2026-12-03T20:00"))
    assert clock.business_elapsed == 4 * 3600
    assert not clock.breached and clock.breach_at is None
