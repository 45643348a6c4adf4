"""Actions through Plan-Do-Check-Act: creation, order, roles, the effect before "act"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from servicegate.improvement.choices import FindingStatus, Stage
from servicegate.improvement.errors import StageError
from servicegate.improvement.models import Action, ActionEvent
from servicegate.improvement.services import action_create, action_transition, finding_create
from servicegate.improvement.tests.conftest import NOW, Summarise
from servicegate.promises.models import Promise


@pytest.fixture
def action(bob: User, carol: User, promise: Promise, summarise: Summarise) -> Action:
    """carol's action on a queue finding of the promise, baseline 12 of 20 met."""
    summarise(promise, (NOW - timedelta(days=10)).date(), 20, 12, "queue")
    finding = finding_create(by=carol, source="technician", title="Queue", promise=promise)
    return action_create(
        by=bob, title="Second shift", owner=carol, finding=finding, target=90, now=NOW
    )


def test_an_action_starts_in_plan_with_its_baseline_and_the_finding_in_action(
    action: Action,
) -> None:
    assert action.stage == Stage.PLAN
    assert action.kpi == "promise_attainment"
    assert action.source == "technician"
    assert (action.baseline_n, action.baseline_met) == (20, 12)
    assert action.baseline_to == NOW
    assert action.baseline_from == NOW - timedelta(days=90)
    assert action.finding is not None and action.finding.status == FindingStatus.IN_ACTION
    assert [e.to_stage for e in ActionEvent.objects.filter(action=action)] == ["plan"]


def test_a_stage_cannot_be_skipped(action: Action, bob: User) -> None:
    with pytest.raises(StageError, match="cannot be skipped"):
        action_transition(action=action, to="check", by=bob)
    action.refresh_from_db()
    assert action.stage == Stage.PLAN
    assert ActionEvent.objects.filter(action=action).count() == 1


def test_a_stage_cannot_be_reversed(action: Action, bob: User) -> None:
    action_transition(action=action, to="do", by=bob, now=NOW)
    with pytest.raises(StageError, match="from “Do” the next stage is “Check”"):
        action_transition(action=action, to="plan", by=bob)


def test_an_unknown_stage_is_a_validation_error(action: Action, bob: User) -> None:
    with pytest.raises(ValidationError):
        action_transition(action=action, to="later", by=bob)


def test_the_owner_and_kvp_leads_move_an_action_others_may_not(
    action: Action, carol: User, quinn: User, alice: User, victor: User
) -> None:
    for outsider in (alice, victor):
        with pytest.raises(PermissionDenied):
            action_transition(action=action, to="do", by=outsider)
    action_transition(action=action, to="do", by=carol, now=NOW)
    action_transition(action=action, to="check", by=quinn, now=NOW + timedelta(days=1))
    assert Action.objects.get(pk=action.pk).stage == Stage.CHECK


def test_act_needs_a_measured_effect(action: Action, bob: User) -> None:
    # given an action checked before any clock was decided after "do"
    action_transition(action=action, to="do", by=bob, now=NOW)
    checked = action_transition(action=action, to="check", by=bob, now=NOW + timedelta(days=5))
    assert checked.verdict == "not_measurable" and checked.p_value is None
    # when it should move to act, then it is refused with the reason
    with pytest.raises(StageError, match="could not be measured"):
        action_transition(action=action, to="act", by=bob)
    assert Action.objects.get(pk=action.pk).stage == Stage.CHECK


def test_the_whole_cycle_measures_the_effect_and_closes_the_finding(
    action: Action, bob: User, promise: Promise, summarise: Summarise
) -> None:
    action_transition(action=action, to="do", by=bob, now=NOW)
    summarise(promise, (NOW + timedelta(days=5)).date(), 20, 19)
    action_transition(action=action, to="check", by=bob, now=NOW + timedelta(days=100))
    action_transition(action=action, to="act", by=bob, now=NOW + timedelta(days=101))
    done = action_transition(action=action, to="done", by=bob, now=NOW + timedelta(days=102))
    assert (done.after_n, done.after_met) == (20, 19)
    assert done.after_to == NOW + timedelta(days=90)  # a window as long as the baseline
    assert done.verdict == "improved"
    assert done.finding is not None
    done.finding.refresh_from_db()
    assert done.finding.status == FindingStatus.CLOSED
    stages = list(ActionEvent.objects.filter(action=action).values_list("to_stage", flat=True))
    assert stages == ["plan", "do", "check", "act", "done"]
    with pytest.raises(StageError, match="is done"):
        action_transition(action=action, to="plan", by=bob)


def test_a_technician_opens_an_action_only_for_themself(carol: User, dana: User) -> None:
    with pytest.raises(PermissionDenied):
        action_create(by=carol, title="Check tools", owner=dana, source="retrospective")
    own = action_create(by=carol, title="Check tools", owner=carol, source="retrospective")
    assert own.stage == Stage.PLAN and own.kpi == "" and own.finding is None


@pytest.mark.parametrize(
    ("fields", "field", "sentence"),
    [
        ({"owner": None}, "owner", "An action needs an owner"),
        ({"source": "technician"}, "kpi", "An action needs a KPI"),
        ({"source": "technician", "kpi": "promise_attainment"}, "kpi", "needs the promise"),
        ({"source": "technician", "kpi": "mean_time_to_resolve"}, "kpi", "target in hours"),
        ({"source": "technician", "kpi": "first_time_fix", "target": "x"}, "target", "number"),
        ({}, "source", "Say where the action comes from"),
    ],
)
def test_bad_actions_are_refused_with_a_sentence(
    bob: User, fields: dict[str, object], field: str, sentence: str
) -> None:
    values: dict[str, object] = {"title": "Do better", "owner": bob, **fields}
    with pytest.raises(ValidationError) as caught:
        action_create(by=bob, **values)  # type: ignore[arg-type]
    assert sentence in caught.value.message_dict[field][0]
    assert not Action.objects.exists()


def test_a_retrospective_action_without_kpi_needs_the_observed_effect_in_words(
    bob: User,
) -> None:
    action = action_create(by=bob, title="Pair on P1s", owner=bob, source="retrospective")
    for stage in ("do", "check"):
        action_transition(action=action, to=stage, by=bob)
    with pytest.raises(StageError, match="Say what effect was observed"):
        action_transition(action=action, to="act", by=bob)
    acted = action_transition(action=action, to="act", by=bob, note="Fewer escalations.")
    assert acted.effect_note == "Fewer escalations."
