"""SLA clock semantics over status histories (calendar: Mon-Fri 08-12, 13-17, Berlin)."""

from __future__ import annotations

import numpy as np
import pytest

from servicegate.engines.calendars import Calendar, calendar_from_dict, twenty_four_seven
from servicegate.engines.clocks import (
    ClockResult,
    ClockRules,
    EventTable,
    StatusEvent,
    evaluate_clock,
    evaluate_clocks,
)
from servicegate.engines.tests.calendars_fixtures import at, berlin

H = 3600
OFFICE = calendar_from_dict(
    {
        "timezone": "Europe/Berlin",
        "week": {d: ["08:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    }
)
RULES = ClockRules(
    pause_statuses=frozenset({"waiting"}),
    stop_statuses=frozenset({"resolved", "closed"}),
    target_seconds=4 * H,
)


def ev(when: str, status: str, priority: str | None = None) -> StatusEvent:
    return StatusEvent(at(when), status, priority)


def clock(
    events: list[StatusEvent], now: str, rules: ClockRules = RULES, cal: Calendar = OFFICE
) -> ClockResult:
    result = evaluate_clock(events, rules, cal, now=at(now))
    # The batch evaluation must give the very same answer.
    batch = evaluate_clocks(EventTable.from_histories([events]), rules, cal, now=at(now))
    assert batch.result(0) == result
    return result


# Monday 2026-03-02.


def test_clock_starts_at_the_opening_and_runs_in_business_hours() -> None:
    r = clock([ev("2026-03-02T10:00", "new")], now="2026-03-02T14:00")
    assert r.state == "running"
    assert (r.started_at, r.business_elapsed, r.elapsed) == (at("2026-03-02T10:00"), 3 * H, 4 * H)
    assert r.deadline == at("2026-03-02T15:00")
    assert r.cycles == 1 and not r.breached


def test_clock_waits_for_a_start_status() -> None:
    rules = ClockRules(start_statuses=frozenset({"assigned"}), target_seconds=H)
    r = clock([ev("2026-03-02T09:00", "new")], "2026-03-02T11:00", rules)
    assert r.state == "not_started" and r.deadline is None and r.target_seconds == H
    r = clock(
        [ev("2026-03-02T09:00", "new"), ev("2026-03-02T10:00", "assigned")],
        "2026-03-02T10:30",
        rules,
    )
    assert (r.started_at, r.business_elapsed) == (at("2026-03-02T10:00"), 1800)


def test_pause_stops_business_time_and_moves_the_deadline() -> None:
    events = [
        ev("2026-03-02T09:00", "new"),
        ev("2026-03-02T10:00", "waiting"),
        ev("2026-03-02T15:00", "open"),
    ]
    r = clock(events, "2026-03-02T16:00")
    assert r.state == "running"
    assert r.business_elapsed == 2 * H  # 09-10 and 15-16
    assert r.paused_seconds == 4 * H  # 10-12 and 13-15 were business hours in the pause
    assert r.elapsed == 7 * H
    assert r.deadline == at("2026-03-03T09:00")  # 2 h left at 16:00: 16-17 and 08-09


def test_a_paused_clock_projects_its_deadline_from_now() -> None:
    events = [ev("2026-03-02T09:00", "new"), ev("2026-03-02T10:00", "waiting")]
    r = clock(events, "2026-03-02T14:00")
    assert r.state == "paused"
    assert r.deadline == at("2026-03-02T17:00")  # 1 h used, 3 h left from 14:00


def test_stop_within_target_is_met() -> None:
    events = [ev("2026-03-02T09:00", "new"), ev("2026-03-02T11:00", "resolved")]
    r = clock(events, "2026-03-03T09:00")
    assert (r.state, r.stopped_at, r.business_elapsed) == ("met", at("2026-03-02T11:00"), 2 * H)
    assert r.deadline == at("2026-03-02T14:00")
    assert r.warnings == ((0.5, at("2026-03-02T11:00")),)


def test_stop_after_the_target_is_missed_with_its_breach_instant() -> None:
    events = [ev("2026-03-02T09:00", "new"), ev("2026-03-03T09:00", "resolved")]
    r = clock(events, "2026-03-03T12:00")
    assert r.state == "missed" and r.breached
    assert r.breach_at == at("2026-03-02T14:00")
    assert r.business_elapsed == 8 * H


def test_breach_sticks_while_running_and_after_stop() -> None:
    events = [ev("2026-03-02T09:00", "new")]
    assert clock(events, "2026-03-02T14:30").state == "breached_running"
    events.append(ev("2026-03-02T15:00", "waiting"))
    r = clock(events, "2026-03-02T16:00")
    assert r.state == "breached_running" and r.breach_at == at("2026-03-02T14:00")


def test_breach_happens_after_closing_when_the_target_ends_at_close() -> None:
    # The target is used up at 17:00 sharp; a fix before the next opening still meets it.
    events = [ev("2026-03-02T13:00", "new"), ev("2026-03-03T07:59", "resolved")]
    r = clock(events, "2026-03-03T10:00")
    assert r.state == "met" and r.deadline == at("2026-03-02T17:00")
    r = clock(events[:1], "2026-03-03T10:00")
    assert r.breach_at == at("2026-03-03T08:00")


def test_reopen_resumes_the_same_clock() -> None:
    rules = ClockRules(stop_statuses=frozenset({"resolved"}), reopen="resume", target_seconds=4 * H)
    events = [
        ev("2026-03-02T09:00", "new"),
        ev("2026-03-02T10:00", "resolved"),
        ev("2026-03-03T09:00", "open"),
    ]
    r = clock(events, "2026-03-03T10:00", rules)
    assert r.state == "running" and r.cycles == 2
    assert r.started_at == at("2026-03-02T09:00")
    assert r.business_elapsed == 2 * H  # the stopped stretch does not count
    assert r.paused_seconds == 0
    assert r.deadline == at("2026-03-03T12:00")


def test_reopen_starts_a_new_cycle_keeping_an_earlier_breach() -> None:
    rules = ClockRules(
        stop_statuses=frozenset({"resolved"}), reopen="new_cycle", target_seconds=2 * H
    )
    events = [
        ev("2026-03-02T09:00", "new"),
        ev("2026-03-02T13:00", "resolved"),
        ev("2026-03-03T09:00", "open"),
    ]
    r = clock(events, "2026-03-03T10:00", rules)
    assert r.state == "running" and r.cycles == 2
    assert (r.started_at, r.business_elapsed) == (at("2026-03-03T09:00"), H)
    assert r.deadline == at("2026-03-03T11:00")
    assert r.breached and r.breach_at == at("2026-03-02T11:00")


def test_priority_change_recomputes_from_the_opening_keeping_pauses() -> None:
    rules = ClockRules(
        pause_statuses=frozenset({"waiting"}), target_seconds={"P1": 2 * H, "P3": 8 * H}
    )
    events = [
        ev("2026-03-02T08:00", "new", "P3"),
        ev("2026-03-02T09:00", "waiting"),
        ev("2026-03-02T10:00", "open"),
        ev("2026-03-02T10:30", "open", "P1"),
    ]
    r = clock(events, "2026-03-02T11:30", rules)
    assert r.target_seconds == 2 * H
    assert r.started_at == at("2026-03-02T08:00")
    assert r.paused_seconds == H
    assert r.deadline == at("2026-03-02T11:00")  # 08-09 + 10-11, the pause kept
    assert r.state == "breached_running" and r.breach_at == at("2026-03-02T11:00")


def test_a_missing_priority_target_is_refused() -> None:
    rules = ClockRules(target_seconds={"P1": H})
    with pytest.raises(ValueError, match="No target for priority 'P9'"):
        evaluate_clock(
            [ev("2026-03-02T08:00", "new", "P9")], rules, OFFICE, now=at("2026-03-03T08:00")
        )
    with pytest.raises(ValueError, match="no priority with a target"):
        table = EventTable.from_histories([[ev("2026-03-02T08:00", "new")]])
        evaluate_clocks(table, rules, OFFICE, now=at("2026-03-03T08:00"))


def test_warnings_fall_inside_business_hours_never_at_a_closing_edge() -> None:
    rules = ClockRules(target_seconds=8 * H, warn_fractions=(0.25, 0.5, 1.0))
    r = clock([ev("2026-03-02T13:00", "new")], "2026-03-02T13:00", rules)
    # 25 % at 15:00; 50 % is used up at 17:00 (closing) -> next opening 08:00;
    # 100 % is used up at 12:00 (lunch closing) -> 13:00.
    assert r.warnings == (
        (0.25, at("2026-03-02T15:00")),
        (0.5, at("2026-03-03T08:00")),
        (1.0, at("2026-03-03T13:00")),
    )
    assert r.deadline == at("2026-03-03T12:00")


def test_warnings_are_never_at_midnight() -> None:
    late = calendar_from_dict(
        {"timezone": "Europe/Berlin", "week": {"mon": ["16:00-24:00"], "tue": ["16:00-24:00"]}}
    )
    rules = ClockRules(target_seconds=16 * H, warn_fractions=(0.5,))
    r = clock([ev("2026-03-02T16:00", "new")], "2026-03-02T17:00", rules, late)
    assert r.warnings == ((0.5, at("2026-03-03T16:00")),)


def test_events_after_now_are_ignored_and_ties_keep_their_order() -> None:
    events = [
        ev("2026-03-02T09:00", "new"),
        ev("2026-03-02T09:00", "resolved"),
        ev("2026-03-02T12:00", "open"),
    ]
    r = clock(events, "2026-03-02T10:00")
    assert r.state == "met" and r.business_elapsed == 0


def test_clock_across_spring_forward_on_a_24x7_calendar() -> None:
    cal = twenty_four_seven("Europe/Berlin")
    r = clock(
        [ev("2026-03-29T00:00", "new")], "2026-03-29T06:00", ClockRules(target_seconds=6 * H), cal
    )
    assert r.business_elapsed == 5 * H and r.deadline == at("2026-03-29T07:00")


def test_rules_are_validated() -> None:
    with pytest.raises(ValueError, match="both pause and stop"):
        ClockRules(pause_statuses=frozenset({"x"}), stop_statuses=frozenset({"x"}))
    with pytest.raises(ValueError, match="negative"):
        ClockRules(target_seconds=-1)


@pytest.mark.parametrize("reopen", ["resume", "new_cycle"])
def test_batch_equals_one_by_one_on_random_histories(reopen: str) -> None:
    rng = np.random.default_rng(5)
    statuses = ["new", "open", "waiting", "resolved", "closed", "assigned"]
    rules = ClockRules(
        start_statuses=frozenset({"open", "assigned"}) if reopen == "resume" else frozenset(),
        pause_statuses=frozenset({"waiting"}),
        stop_statuses=frozenset({"resolved", "closed"}),
        reopen=reopen,  # type: ignore[arg-type]
        target_seconds={"P1": 4 * H, "P2": 16 * H, "P3": 0},
        warn_fractions=(0.5, 0.9, 1.0, 1.5),
    )
    lo = at("2026-03-20T00:00")
    histories = []
    for _ in range(400):
        times = np.sort(rng.integers(lo, lo + 20 * 86_400, rng.integers(0, 9)))
        histories.append(
            [
                StatusEvent(
                    int(t),
                    str(rng.choice(statuses)),
                    str(rng.choice(["P1", "P2", "P3"])) if i == 0 or rng.random() < 0.2 else None,
                )
                for i, t in enumerate(times)
            ]
        )
    now = lo + 15 * 86_400
    batch = evaluate_clocks(EventTable.from_histories(histories), rules, berlin(), now=now)
    for i, events in enumerate(histories):
        assert batch.result(i) == evaluate_clock(events, rules, berlin(), now=now), i
