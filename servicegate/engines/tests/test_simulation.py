"""Queue simulation: agreement with Erlang C/A, calendars, priorities, skills, travel,
pauses, piecewise arrivals, common random numbers, bad inputs and the CLI."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from servicegate.cli_commands import simulate as simulate_cli
from servicegate.engines.queueing import PlanningInputError, erlang_a, erlang_c_metrics
from servicegate.engines.simulation import (
    AgentGroup,
    CustomerClass,
    PiecewiseRate,
    PredicateSchedule,
    QueueModel,
    WeeklySchedule,
    add_business_seconds,
    business_seconds,
    compare,
    constant,
    exponential,
    fcfs_waits,
    poisson_arrivals,
    replicate,
    simulate,
    simulate_mmc,
)

RATE, AHT = 100 / 1800, 180.0
MONDAY = 4 * 86400.0  # 1970-01-05 00:00 UTC
HOUR, DAY = 3600.0, 86400.0


def _single(servers: int, horizon: float, **class_kw: object) -> QueueModel:
    cls = CustomerClass("c", PiecewiseRate.constant(RATE, 0, horizon), exponential(AHT), **class_kw)  # type: ignore[arg-type]
    return QueueModel(
        classes=(cls,),
        groups=(AgentGroup("g", servers, ("c",)),),
        answer_within_seconds=20,
        warmup_seconds=3600,
    )


# --- validation against the closed forms ---------------------------------------------------------


def test_mmc_matches_erlang_c_over_replications() -> None:
    # given the M/M/14 reference case
    ref = erlang_c_metrics(agents=14, arrival_rate=RATE, aht_seconds=AHT, answer_within_seconds=20)

    # when simulating 4 × 250k customers
    def run(rng: np.random.Generator) -> object:
        return simulate_mmc(
            arrival_rate=RATE,
            aht_seconds=AHT,
            servers=14,
            customers=250_000,
            answer_within_seconds=20,
            rng=rng,
        )

    summary = replicate(run, replications=4, rng=np.random.default_rng(7))  # type: ignore[arg-type]

    # then P(wait) and the service level are within 0.01
    assert summary.estimates["p_wait"].mean == pytest.approx(ref.p_wait, abs=0.01)
    assert summary.estimates["service_level"].mean == pytest.approx(ref.service_level, abs=0.01)
    assert summary.estimates["asa_seconds"].mean == pytest.approx(ref.asa_seconds, rel=0.1)


def test_mmc_with_patience_matches_erlang_a() -> None:
    ref = erlang_a(
        agents=14,
        arrival_rate=RATE,
        aht_seconds=AHT,
        patience_seconds=300,
        answer_within_seconds=20,
    )
    result = simulate_mmc(
        arrival_rate=RATE,
        aht_seconds=AHT,
        servers=14,
        customers=800_000,
        answer_within_seconds=20,
        rng=np.random.default_rng(3),
        patience_seconds=300,
    )
    assert result.p_abandon == pytest.approx(ref.p_abandon, abs=0.003)
    assert result.service_level == pytest.approx(ref.service_level, abs=0.01)
    assert result.p_wait == pytest.approx(ref.p_wait, abs=0.01)


def test_event_engine_agrees_exactly_with_the_fast_path() -> None:
    model = _single(14, 200 * HOUR, patience=exponential(300))
    fast = simulate(model, np.random.default_rng(11))
    slow = simulate(model, np.random.default_rng(11), engine="event")
    np.testing.assert_allclose(fast.wait_seconds, slow.wait_seconds, atol=1e-6)
    assert np.array_equal(fast.abandoned, slow.abandoned)
    assert fast.customers == slow.customers > 10_000


def test_fcfs_waits_by_hand() -> None:
    # two servers; the third customer waits for the first free server
    waits, abandoned = fcfs_waits([0.0, 1.0, 2.0, 3.0], [10.0, 10.0, 1.0, 1.0], 2)
    assert waits.tolist() == [0.0, 0.0, 8.0, 8.0]
    waits, abandoned = fcfs_waits([0.0, 1.0, 2.0], [10.0, 10.0, 1.0], 2, patience=[5, 5, 5])
    assert abandoned.tolist() == [False, False, True] and waits[2] == 5.0


# --- calendars -----------------------------------------------------------------------------------


def test_weekly_schedule_opens_and_closes() -> None:
    week = WeeklySchedule.workdays(8, 17)
    assert week.open_fraction == pytest.approx(45 / 168)
    assert not week.is_open(MONDAY + 7 * HOUR) and week.is_open(MONDAY + 8 * HOUR)
    assert week.next_open(MONDAY) == MONDAY + 8 * HOUR
    assert week.next_close(MONDAY + 9 * HOUR) == MONDAY + 17 * HOUR
    friday_16 = MONDAY + 4 * DAY + 16 * HOUR
    assert add_business_seconds(week, friday_16, 2 * HOUR) == MONDAY + 7 * DAY + 9 * HOUR
    assert business_seconds(week, MONDAY, MONDAY + 7 * DAY) == 45 * HOUR


def test_predicate_schedule_agrees_with_the_weekly_one() -> None:
    week = WeeklySchedule.workdays(8, 17)
    generic = PredicateSchedule(week.is_open, step_seconds=900)
    for t in (MONDAY, MONDAY + 8.5 * HOUR, MONDAY + 5 * DAY + 3 * HOUR):
        assert generic.next_open(t) == week.next_open(t)
        assert generic.next_close(t) == week.next_close(t)


def test_work_stops_outside_business_hours() -> None:
    # given a few jobs arriving Friday 16:00 needing 2 hours, office Mon–Fri 8–17
    week = WeeklySchedule.workdays(8, 17)
    friday_16 = MONDAY + 4 * DAY + 16 * HOUR
    cls = CustomerClass("c", PiecewiseRate((friday_16, friday_16 + 1), (5.0,)), constant(2 * HOUR))
    model = QueueModel(
        classes=(cls,),
        groups=(AgentGroup("g", 100, ("c",)),),
        answer_within_seconds=60,
        schedule=week,
    )
    result = simulate(model, np.random.default_rng(0))
    # then every job is resolved in exactly 2 business hours (Friday 16–17, Monday 8–9)
    assert np.allclose(result.resolution_seconds, 2 * HOUR)
    assert np.all(result.wait_seconds < 1.0)


def test_arrivals_in_closed_hours_wait_for_the_opening_but_not_in_business_time() -> None:
    week = WeeklySchedule.workdays(8, 17)
    sunday = MONDAY - DAY
    cls = CustomerClass("c", PiecewiseRate((sunday, sunday + HOUR), (10 / HOUR,)), constant(60))
    model = QueueModel(
        classes=(cls,),
        groups=(AgentGroup("g", 100, ("c",)),),
        answer_within_seconds=0,
        schedule=week,
    )
    result = simulate(model, np.random.default_rng(0))
    assert result.customers > 0 and result.service_level == 1.0


# --- priorities, skills, travel, pauses ----------------------------------------------------------


def _two_classes(priority_b: int) -> QueueModel:
    horizon = 400 * HOUR
    a = CustomerClass(
        "a", PiecewiseRate.constant(RATE / 2, 0, horizon), exponential(AHT), priority=0
    )
    b = CustomerClass(
        "b",
        PiecewiseRate.constant(RATE / 2, 0, horizon),
        exponential(AHT),
        priority=priority_b,
        skill="a",
    )
    return QueueModel(
        classes=(a, b), groups=(AgentGroup("g", 11, ("a",)),), answer_within_seconds=20
    )


def test_non_preemptive_priority_serves_the_urgent_class_first() -> None:
    result = simulate(_two_classes(priority_b=1), np.random.default_rng(5))
    urgent, other = result.classes
    assert urgent.asa_seconds < other.asa_seconds / 3
    # equal priorities: the same waits on average
    fair = simulate(_two_classes(priority_b=0), np.random.default_rng(5))
    assert fair.classes[0].asa_seconds == pytest.approx(fair.classes[1].asa_seconds, rel=0.25)


def test_skill_groups_only_take_their_skills() -> None:
    horizon = 300 * HOUR
    a = CustomerClass("a", PiecewiseRate.constant(RATE, 0, horizon), exponential(AHT))
    b = CustomerClass("b", PiecewiseRate.constant(RATE / 10, 0, horizon), exponential(AHT))
    model = QueueModel(
        classes=(a, b),
        groups=(AgentGroup("ga", 11, ("a",)), AgentGroup("gb", 30, ("b",))),
        answer_within_seconds=20,
    )
    result = simulate(model, np.random.default_rng(2))
    # the idle b-specialists do not help the busy a-group
    assert result.classes[0].p_wait > 0.3 and result.classes[1].p_wait < 0.01
    shared = QueueModel(
        classes=(a, b),
        groups=(AgentGroup("ga", 11, ("a",)), AgentGroup("gb", 30, ("b", "a"))),
        answer_within_seconds=20,
    )
    assert simulate(shared, np.random.default_rng(2)).classes[0].p_wait < 0.01


def test_onsite_response_includes_travel() -> None:
    cls = CustomerClass(
        "field",
        PiecewiseRate.constant(1 / HOUR, 0, 500 * HOUR),
        constant(600),
        onsite_share=1.0,
        travel=constant(1800),
    )
    model = QueueModel(
        classes=(cls,), groups=(AgentGroup("techs", 50, ("field",)),), answer_within_seconds=1800
    )
    result = simulate(model, np.random.default_rng(1))
    assert np.allclose(result.response_seconds, 1800)
    assert np.allclose(result.resolution_seconds, 2400)
    assert result.service_level == 1.0


def test_pause_releases_the_agent_and_stops_the_resolution_clock() -> None:
    cls = CustomerClass(
        "c",
        PiecewiseRate.constant(1 / HOUR, 0, 500 * HOUR),
        constant(600),
        pause_probability=1.0,
        pause=constant(5 * HOUR),
    )
    model = QueueModel(
        classes=(cls,), groups=(AgentGroup("g", 50, ("c",)),), answer_within_seconds=60
    )
    result = simulate(model, np.random.default_rng(1))
    assert np.allclose(result.resolution_seconds, 600)  # the 5 h pause is not counted


def test_piecewise_arrivals_follow_the_rates() -> None:
    rate = PiecewiseRate((0.0, 100.0, 200.0, 300.0), (1.0, 0.0, 3.0))
    times = poisson_arrivals(rate, np.random.default_rng(0))
    assert np.all(np.diff(times) >= 0)
    counts = np.histogram(times, bins=[0, 100, 200, 300])[0]
    assert counts[1] == 0
    assert 70 < counts[0] < 130 and 240 < counts[2] < 360


# --- replications and common random numbers ------------------------------------------------------


def test_common_random_numbers_make_more_agents_better_in_every_replication() -> None:
    summaries = compare(
        {"13": _single(13, 100 * HOUR), "15": _single(15, 100 * HOUR)},
        replications=5,
        rng=np.random.default_rng(9),
    )
    low, high = summaries["13"].runs, summaries["15"].runs
    assert all(b.service_level > a.service_level for a, b in zip(low, high, strict=True))
    assert all(a.customers == b.customers for a, b in zip(low, high, strict=True))
    est = summaries["15"].estimates["service_level"]
    assert est.low <= est.mean <= est.high


def test_same_seed_same_result() -> None:
    model = _single(14, 50 * HOUR)
    a = simulate(model, np.random.default_rng(4), engine="event")
    b = simulate(model, np.random.default_rng(4), engine="event")
    assert a.to_dict() == b.to_dict()


# --- bad inputs ----------------------------------------------------------------------------------


def test_bad_models_are_refused() -> None:
    rate = PiecewiseRate.constant(RATE, 0, HOUR)
    with pytest.raises(PlanningInputError, match="travel"):
        CustomerClass("c", rate, exponential(AHT), onsite_share=0.5)
    with pytest.raises(PlanningInputError, match="skill"):
        QueueModel(
            classes=(CustomerClass("c", rate, exponential(AHT)),),
            groups=(AgentGroup("g", 1, ("other",)),),
            answer_within_seconds=20,
        )
    with pytest.raises(PlanningInputError, match="at least 1 agent"):
        AgentGroup("g", 0, ("c",))
    with pytest.raises(PlanningInputError, match="arrival rate"):
        PiecewiseRate.constant(0.0, 0, HOUR)
    with pytest.raises(PlanningInputError, match="mean duration"):
        exponential(0)
    with pytest.raises(PlanningInputError, match="servers"):
        fcfs_waits([0.0], [1.0], 0)
    with pytest.raises(PlanningInputError, match="replications"):
        replicate(
            lambda rng: simulate(_single(14, HOUR), rng),
            replications=0,
            rng=np.random.default_rng(),
        )
    with pytest.raises(PlanningInputError, match="overlap"):
        WeeklySchedule(((0, 100), (50, 200)))


# --- CLI -----------------------------------------------------------------------------------------


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="servicegate")
    simulate_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


BASE = [
    "simulate",
    "queue",
    "--arrivals",
    "200",
    "--interval",
    "1h",
    "--aht",
    "180s",
    "--servers",
    "14",
]


def test_cli_reports_figures_with_confidence_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*BASE, "--customers", "50000", "--seed", "3", "--replications", "3", "--json"]
    assert _run(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["customers"] == 150_000
    assert out["p_wait"] == pytest.approx(0.1741, abs=0.02)
    low, high = out["service_level_ci95"]
    assert low <= out["service_level"] <= high


def test_cli_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([*BASE, "--customers", "20000", "--seed", "1"]) == 0
    assert "closed form" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--aht", "-3"], "handling time"),
        (["--servers", "0"], "--servers"),
        (["--customers", "many"], "--customers"),
        (["--arrivals", "0"], "--arrivals"),
    ],
)
def test_cli_refuses_bad_input(
    extra: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run([*BASE, *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("servicegate: error: ") and needle in err
