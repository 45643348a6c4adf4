"""Gate-1 feasibility from the database on hand-made cases."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from servicegate.engines.queueing import PlanningInputError
from servicegate.planning.feasibility import feasibility_report, promise_feasibility
from servicegate.promises.models import Promise


def test_a_large_team_with_light_load_is_green(
    promise: Promise, team: Callable[[int], list[object]], tickets: Callable[..., int]
) -> None:
    # given ten technicians and 50 tickets a week of one hour each
    team(10)
    tickets(50)
    # when
    report = feasibility_report(promise)
    # then
    assert report.assessment.verdict == "green"
    assert report.assessment.probability_met > 0.99
    assert report.inputs.agents == 10
    assert report.inputs.arrivals_source == "forecast"
    assert report.inputs.arrivals_per_week == pytest.approx(50, rel=0.15)
    assert report.inputs.aht_seconds == pytest.approx(3600, rel=0.01)
    assert report.inputs.handling_tickets == 400


def test_one_technician_under_heavy_load_is_red(
    promise: Promise, team: Callable[[int], list[object]], tickets: Callable[..., int]
) -> None:
    team(1)
    tickets(150)  # 0.9 Erlang on one technician
    assessment = promise_feasibility(promise)
    assert assessment.verdict == "red"
    assert assessment.probability_met < 0.5
    assert assessment.staffing_needed is not None and assessment.staffing_needed >= 2


def test_extra_volume_makes_it_worse(
    promise: Promise, team: Callable[[int], list[object]], tickets: Callable[..., int]
) -> None:
    team(1)
    tickets(80)
    base = promise_feasibility(promise)
    heavier = promise_feasibility(promise, extra_arrivals_per_week=60)
    assert heavier.probability_met < base.probability_met
    assert heavier.expected_tickets > base.expected_tickets


def test_without_tickets_the_extra_volume_is_the_load(
    promise: Promise, team: Callable[[int], list[object]]
) -> None:
    team(3)
    report = feasibility_report(promise, extra_arrivals_per_week=20)
    assert report.inputs.arrivals_source == "none"
    assert report.inputs.handling_tickets == 0  # the default handling time
    assert report.assessment.expected_tickets == pytest.approx(20 * 30 / 7)


def test_no_tickets_and_no_extra_volume_is_a_sentence(
    promise: Promise, team: Callable[[int], list[object]]
) -> None:
    team(3)
    with pytest.raises(PlanningInputError, match="no tickets in this promise's scope"):
        promise_feasibility(promise)


def test_no_team_is_a_sentence(promise: Promise, tickets: Callable[..., int]) -> None:
    tickets(20)
    with pytest.raises(PlanningInputError, match="no active technician"):
        promise_feasibility(promise)


def test_a_percentage_promise_is_refused_with_a_sentence(
    promise: Promise, team: Callable[[int], list[object]]
) -> None:
    team(2)
    Promise.objects.filter(pk=promise.pk).update(
        metric="availability", target_unit="percent", target_value=Decimal("99.5")
    )
    promise.refresh_from_db()
    with pytest.raises(PlanningInputError, match="covers time promises"):
        promise_feasibility(promise)


def test_history_of_comparable_promises_in_service_counts(
    promise: Promise,
    team: Callable[[int], list[object]],
    tickets: Callable[..., int],
) -> None:
    # given a comparable promise (same metric and priority) in service, same segment
    twin = Promise.objects.get(pk=promise.pk)
    twin.pk = None
    twin.state = "in_service"
    twin.save()
    team(10)
    tickets(50)  # every ticket answered after 10 minutes: all within 4 hours
    report = feasibility_report(promise)
    a = report.assessment
    assert report.inputs.comparable_promises == 1
    assert a.history_tickets == 400
    assert a.history_attainment == 1.0
    assert a.history_ci95 is not None and a.history_ci95[0] > 0.98
    assert a.history_status == "supports"
