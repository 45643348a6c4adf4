"""Gate 1 promise feasibility: verdict bands, staffing, history, simulation, bad inputs."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from servicegate.engines.feasibility import (
    PromiseProposal,
    VerdictThresholds,
    assess_promise,
)
from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.simulation import WeeklySchedule

HOUR = 3600.0
MONTH = 30 * 86400.0
OFFICE = WeeklySchedule.workdays(8, 17)


def _p2_response(level: float = 0.95) -> PromiseProposal:
    """95 % of P2 incidents responded to within 4 business hours, per month, Mon–Fri 8–17."""
    return PromiseProposal("response", 4 * HOUR, level, MONTH, schedule=OFFICE)


def _assess(staff: int, **kw: Any) -> Any:
    args: dict[str, Any] = {"expected_arrivals": 600, "aht_seconds": 2 * HOUR, "agents": staff}
    return assess_promise(_p2_response(), **{**args, **kw})


def test_verdict_bands_follow_the_probability_of_meeting_the_promise() -> None:
    # 600 tickets of 2 h in 45 business hours a week: 6.2 Erlangs of work
    assert _assess(6).verdict == "red"  # overloaded
    ok = _assess(9)
    assert ok.verdict == "green" and ok.probability_met >= 0.9
    assert ok.staffing_needed == 8
    assert 0 < ok.offered_load < 9 and ok.reasons


def test_amber_between_the_thresholds() -> None:
    # per-ticket 85 % at 7 agents: a promise of 84 % is met about half the time or more
    result = assess_promise(
        _p2_response(0.845), expected_arrivals=600, aht_seconds=2 * HOUR, agents=7
    )
    assert 0.5 <= result.probability_met < 0.9
    assert result.verdict == "amber"


def test_staffing_needed_is_the_fewest_agents_reaching_the_confidence() -> None:
    result = _assess(7, confidence=0.99, extra_arrivals=150)
    n = result.staffing_needed
    assert n is not None
    assert _assess(n, extra_arrivals=150).probability_met >= 0.99
    assert _assess(n - 1, extra_arrivals=150).probability_met < 0.99


def test_history_that_contradicts_the_promise_makes_it_red() -> None:
    history = [True] * 85 + [False] * 15  # 85 % met, upper Wilson bound below 95 %
    result = _assess(12, history=history)
    assert result.history_status == "contradicts" and result.verdict == "red"
    uncertain = _assess(12, history=[True] * 19 + [False])
    assert uncertain.history_status == "supports" and uncertain.verdict == "green"
    unsure = _assess(12, history=[True] * 9 + [False])
    assert unsure.history_status == "uncertain" and unsure.verdict == "amber"


def test_resolution_promise_with_handling_samples() -> None:
    samples = np.random.default_rng(0).lognormal(np.log(HOUR), 0.8, 400)
    easy = PromiseProposal("resolution", 16 * HOUR, 0.9, MONTH, open_fraction=45 / 168)
    result = assess_promise(
        easy, expected_arrivals=600, aht_seconds=1.0, agents=8, handling_samples=samples
    )
    assert result.per_ticket_probability > 0.95 and result.verdict == "green"
    # a target shorter than most handling times cannot be reached by staffing
    hard = PromiseProposal("resolution", 0.5 * HOUR, 0.9, MONTH, open_fraction=45 / 168)
    result = assess_promise(
        hard, expected_arrivals=600, aht_seconds=1.0, agents=8, handling_samples=samples
    )
    assert result.staffing_needed is None and result.verdict == "red"
    assert "handling time alone" in " ".join(result.reasons)


def test_simulation_method_agrees_with_the_analytic_one() -> None:
    analytic = _assess(8)
    simulated = _assess(8, method="simulation", rng=np.random.default_rng(1), replications=10)
    assert simulated.per_ticket_probability == pytest.approx(
        analytic.per_ticket_probability, abs=0.03
    )
    assert simulated.staffing_needed is not None
    assert abs(simulated.staffing_needed - 8) <= 1


def test_evidence_is_json_ready() -> None:
    result = _assess(9, history=[True, True, False])
    data = json.loads(json.dumps(result.to_dict()))
    assert data["verdict"] == result.verdict
    assert data["thresholds"] == {"green": 0.9, "red": 0.5}
    assert len(data["history_ci95"]) == 2


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"expected_arrivals": 0.0}, "expected_arrivals"),
        ({"extra_arrivals": -1.0}, "extra_arrivals"),
        ({"aht_seconds": 0.0}, "aht_seconds"),
        ({"agents": 0}, "agents"),
        ({"confidence": 1.0}, "confidence"),
        ({"design_effect": 0.5}, "design_effect"),
        ({"method": "guess"}, "method"),
        ({"method": "simulation"}, "rng"),
        ({"handling_samples": [1.0, -2.0]}, "handling_samples"),
    ],
)
def test_bad_inputs_are_refused(change: dict[str, Any], needle: str) -> None:
    with pytest.raises(PlanningInputError, match=needle):
        _assess(8, **change)


@pytest.mark.parametrize(
    ("promise", "needle"),
    [
        (PromiseProposal("response", 0.0, 0.95, MONTH), "target_seconds"),
        (PromiseProposal("response", HOUR, 1.0, MONTH), "attainment"),
        (PromiseProposal("response", HOUR, 0.95, -1.0), "period_seconds"),
        (PromiseProposal("response", HOUR, 0.95, MONTH, open_fraction=0.0), "open_fraction"),
        (PromiseProposal("uptime", HOUR, 0.95, MONTH), "metric"),  # type: ignore[arg-type]
    ],
)
def test_bad_promises_are_refused(promise: PromiseProposal, needle: str) -> None:
    with pytest.raises(PlanningInputError, match=needle):
        assess_promise(promise, expected_arrivals=100, aht_seconds=HOUR, agents=3)


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(PlanningInputError, match="thresholds"):
        VerdictThresholds(green=0.4, red=0.5)
