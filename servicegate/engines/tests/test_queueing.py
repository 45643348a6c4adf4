"""Erlang B/C/A figures and staffing: published values, properties, bad inputs, CLI."""

from __future__ import annotations

import argparse
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicegate.cli_commands import staffing as staffing_cli
from servicegate.engines.queueing import (
    PlanningInputError,
    UnreachableTargetError,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    offered_load,
    required_agents,
)

RATE = 100 / 1800  # 100 arrivals per 30 minutes
AHT = 180.0


def _erlang_b_recursion(n: int, load: float) -> float:
    b = 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    return b


# --- published values ----------------------------------------------------------------------------


def test_erlang_c_reference_case() -> None:
    """100 calls / 30 min, AHT 180 s, 14 agents: the textbook call-centre example."""
    m = erlang_c_metrics(agents=14, arrival_rate=RATE, aht_seconds=AHT, answer_within_seconds=20)
    assert m.p_wait == pytest.approx(0.174132, abs=1e-5)
    assert m.service_level == pytest.approx(0.888350, abs=1e-5)
    assert m.asa_seconds == pytest.approx(7.836, abs=1e-3)
    assert m.occupancy == pytest.approx(0.7143, abs=1e-4)


def test_staffing_for_80_in_20_is_14_agents_and_20_positions_with_30_percent_shrinkage() -> None:
    result = required_agents(
        arrival_rate=RATE,
        aht_seconds=AHT,
        answer_within_seconds=20,
        target_service_level=0.8,
        shrinkage=0.3,
    )
    assert (result.agents, result.positions) == (14, 20)


def test_erlang_a_reference_case() -> None:
    """Same load, 14 agents, mean patience 300 s (abandoned calls are misses)."""
    m = erlang_a(
        agents=14,
        arrival_rate=RATE,
        aht_seconds=AHT,
        patience_seconds=300,
        answer_within_seconds=20,
    )
    assert m.p_abandon == pytest.approx(0.013984, abs=1e-5)
    assert m.service_level == pytest.approx(0.916792, abs=1e-5)
    assert m.asa_seconds == pytest.approx(m.p_abandon * 300, rel=1e-12)  # Little's law


def test_erlang_b_matches_the_recursion_and_the_table_value() -> None:
    assert erlang_b(14, 10.0) == pytest.approx(0.05682, abs=1e-5)
    for n, load in [(1, 0.5), (5, 3.0), (30, 25.0), (120, 100.0)]:
        assert erlang_b(n, load) == pytest.approx(_erlang_b_recursion(n, load), rel=1e-10)


def test_ten_thousand_agents_are_stable() -> None:
    load = 10_000.0
    assert erlang_b(10_100, load) == pytest.approx(_erlang_b_recursion(10_100, load), rel=1e-9)
    result = required_agents(
        arrival_rate=load / AHT, aht_seconds=AHT, answer_within_seconds=20, target_service_level=0.8
    )
    below = erlang_c_metrics(
        agents=result.agents - 1,
        arrival_rate=load / AHT,
        aht_seconds=AHT,
        answer_within_seconds=20,
    )
    assert result.metrics.service_level >= 0.8 > below.service_level


def test_erlang_a_far_below_the_load_stays_finite() -> None:
    m = erlang_a(
        agents=5_000,
        arrival_rate=10_000 / AHT,
        aht_seconds=AHT,
        patience_seconds=300,
        answer_within_seconds=20,
    )
    assert m.p_abandon == pytest.approx(0.5, abs=1e-6)  # half the load cannot be carried
    assert 0 <= m.service_level <= 1


def test_asa_target_and_max_occupancy_are_honoured() -> None:
    by_asa = required_agents(arrival_rate=RATE, aht_seconds=AHT, target_asa_seconds=5)
    assert by_asa.metrics.asa_seconds <= 5
    capped = required_agents(
        arrival_rate=RATE,
        aht_seconds=AHT,
        answer_within_seconds=20,
        target_service_level=0.8,
        max_occupancy=0.6,
    )
    assert capped.agents == 17 and capped.metrics.occupancy <= 0.6


# --- properties ----------------------------------------------------------------------------------

loads = st.floats(min_value=0.5, max_value=500.0)


@settings(max_examples=60, deadline=None)
@given(load=loads, extra=st.integers(min_value=1, max_value=40), within=st.floats(0, 120))
def test_service_level_grows_with_agents(load: float, extra: int, within: float) -> None:
    kw = {"arrival_rate": load / AHT, "aht_seconds": AHT, "answer_within_seconds": within}
    # the engine's load (rate x AHT) may round just above `load`: count agents from it
    n = int(offered_load(load / AHT, AHT)) + extra
    c1, c2 = erlang_c_metrics(agents=n, **kw), erlang_c_metrics(agents=n + 1, **kw)
    a1 = erlang_a(agents=n, patience_seconds=200, **kw)
    a2 = erlang_a(agents=n + 1, patience_seconds=200, **kw)
    assert 0 <= c1.p_wait <= 1 and 0 <= a1.p_wait <= 1
    assert c2.service_level >= c1.service_level - 1e-12
    assert a2.service_level >= a1.service_level - 1e-12
    assert a1.p_abandon >= a2.p_abandon - 1e-12


@settings(max_examples=40, deadline=None)
@given(load=loads, extra=st.integers(min_value=1, max_value=20))
def test_erlang_a_tends_to_erlang_c_as_patience_grows(load: float, extra: int) -> None:
    n = int(load) + 1 + extra  # at least one agent above the load: away from criticality
    kw = {"arrival_rate": load / AHT, "aht_seconds": AHT, "answer_within_seconds": 20.0}
    c = erlang_c_metrics(agents=n, **kw)
    a = erlang_a(agents=n, patience_seconds=1e9, **kw)
    assert a.p_wait == pytest.approx(c.p_wait, abs=1e-4)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-4)


@settings(max_examples=40, deadline=None)
@given(load=st.floats(1.0, 20_000.0), target=st.floats(0.05, 0.99))
def test_required_agents_is_the_smallest_staffing_meeting_the_target(
    load: float, target: float
) -> None:
    result = required_agents(
        arrival_rate=load / AHT,
        aht_seconds=AHT,
        answer_within_seconds=20,
        target_service_level=target,
    )
    assert result.metrics.service_level >= target
    if result.agents - 1 > load:
        below = erlang_c_metrics(
            agents=result.agents - 1,
            arrival_rate=load / AHT,
            aht_seconds=AHT,
            answer_within_seconds=20,
        )
        assert below.service_level < target


# --- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"arrival_rate": 0.0}, "arrival_rate"),
        ({"arrival_rate": -1.0}, "arrival_rate"),
        ({"aht_seconds": 0.0}, "aht_seconds"),
        ({"target_service_level": 1.0}, "target_service_level"),
        ({"target_service_level": 0.0}, "target_service_level"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"shrinkage": -0.1}, "shrinkage"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
        ({"max_occupancy": 1.5}, "max_occupancy"),
        ({"patience_seconds": 0.0}, "patience_seconds"),
    ],
)
def test_bad_staffing_inputs_are_refused_with_a_sentence(
    kwargs: dict[str, float], names: str
) -> None:
    args: dict[str, float] = {
        "arrival_rate": RATE,
        "aht_seconds": AHT,
        "answer_within_seconds": 20,
        "target_service_level": 0.8,
        **kwargs,
    }
    with pytest.raises(PlanningInputError, match=names) as info:
        required_agents(**args)  # type: ignore[arg-type]
    assert str(info.value).endswith(".")


def test_load_at_or_above_the_agent_limit_is_unreachable() -> None:
    with pytest.raises(UnreachableTargetError, match="max_agents=10"):
        required_agents(
            arrival_rate=RATE,
            aht_seconds=AHT,
            answer_within_seconds=20,
            target_service_level=0.8,
            max_agents=10,
        )
    with pytest.raises(UnreachableTargetError, match="No staffing"):
        required_agents(
            arrival_rate=RATE,
            aht_seconds=AHT,
            answer_within_seconds=20,
            target_service_level=0.99,
            max_agents=12,
        )


def test_erlang_c_needs_more_agents_than_the_load() -> None:
    with pytest.raises(PlanningInputError, match="agents=10"):
        erlang_c(10, 10.0)


def test_a_target_is_required() -> None:
    with pytest.raises(PlanningInputError, match="target"):
        required_agents(arrival_rate=RATE, aht_seconds=AHT)


# --- CLI -----------------------------------------------------------------------------------------


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="servicegate")
    staffing_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


BASE = ["staffing", "erlang-c", "--arrivals", "100", "--interval", "30m", "--aht", "180s"]


def test_cli_solves_the_reference_case_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        _run(
            [*BASE, "--target-sl", "0.8", "--answer-within", "20s", "--shrinkage", "0.3", "--json"]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert (out["agents"], out["positions"]) == (14, 20)
    assert out["service_level"] == pytest.approx(0.888350, abs=1e-5)
    assert set(out) >= {
        "agents",
        "positions",
        "service_level",
        "p_wait",
        "asa_seconds",
        "occupancy",
    }


def test_cli_evaluates_erlang_a(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([*BASE, "--agents", "14", "--patience", "5m", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["p_abandon"] == pytest.approx(0.013984, abs=1e-5)


def test_cli_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(BASE) == 0
    out = capsys.readouterr().out
    assert "agents" in out and "14" in out and "P(wait)" in out


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--target-sl", "1.5"], "target service level"),
        (["--shrinkage", "1"], "shrinkage"),
        (["--max-occupancy", "0"], "maximum occupancy"),
        (["--aht", "soon"], "--aht"),
        (["--aht", "0"], "handling time"),
        (["--agents", "9"], "offered load"),
        (["--max-agents", "10"], "agent limit"),
    ],
)
def test_cli_refuses_bad_input_with_exit_code_2(
    extra: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run([*BASE, *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("servicegate: error: ") and needle in err


def test_cli_refuses_non_positive_arrivals(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["staffing", "erlang-c", "--arrivals", "0", "--aht", "180s"]
    assert _run(argv) == 2
    assert "--arrivals" in capsys.readouterr().err


def test_durations_accept_units() -> None:
    assert staffing_cli.parse_duration("30m", "--x") == 1800
    assert staffing_cli.parse_duration("1h30m", "--x") == 5400
    assert staffing_cli.parse_duration("14d", "--x") == 14 * 86400
    assert staffing_cli.parse_duration("20", "--x") == 20
    with pytest.raises(PlanningInputError, match="--x"):
        staffing_cli.parse_duration("20 parsecs", "--x")
