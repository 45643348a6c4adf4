"""Retrospectives feed the KVP register: each action becomes an improvement action with
source "retrospective", owned by whom the team named, and a card on the team's board."""

from __future__ import annotations

from django.contrib.auth.models import User

from servicegate.improvement.models import Action
from servicegate.team.models import Card, RetroAction, Retrospective, Team
from servicegate.team.tests.conftest import send


def _retro(user: User, team: Team, **extra: object) -> object:
    body = {
        "team": team.pk,
        "date": "2026-11-27",
        "went_well": "Spare parts arrived in time.",
        "to_improve": "Handover notes are thin.",
        "actions": [
            {"title": "Handover checklist for night shift", "owner": "carol"},
            {"title": "Pair on PLC diagnosis", "owner": "dana"},
        ],
        **extra,
    }
    return send(user, "post", "/api/v1/retrospectives", body)


def test_retro_actions_become_kvp_actions(team: Team, dana: User, carol: User) -> None:
    response = _retro(dana, team)
    assert response.status_code == 201, response.json()  # type: ignore[attr-defined]
    actions = Action.objects.order_by("pk")
    assert [(a.title, a.owner.username, a.source) for a in actions] == [
        ("Handover checklist for night shift", "carol", "retrospective"),
        ("Pair on PLC diagnosis", "dana", "retrospective"),
    ]
    links = list(RetroAction.objects.order_by("pk").values_list("action_id", flat=True))
    assert links == [a.pk for a in actions]
    assert (
        sorted(a for a in Card.objects.filter(team=team).values_list("action_id", flat=True) if a)
        == links
    )
    body = response.json()  # type: ignore[attr-defined]
    assert [a["action"] for a in body["actions"]] == links


def test_only_the_teams_members_record_its_retrospectives(
    team: Team, victor: User, alice: User
) -> None:
    for user in (victor, alice):
        response = _retro(user, team)
        assert response.status_code == 403  # type: ignore[attr-defined]
        assert "Only the team's members" in response.json()["detail"]  # type: ignore[attr-defined]
    assert not Retrospective.objects.exists()
    assert not Action.objects.exists()


def test_a_bad_owner_changes_nothing(team: Team, dana: User) -> None:
    response = _retro(dana, team, actions=[{"title": "X", "owner": "nobody"}])
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["detail"] == "There is no user nobody."  # type: ignore[attr-defined]
    assert not Retrospective.objects.exists()


def test_a_retro_actions_card_follows_its_pdca_stage(team: Team, dana: User, carol: User) -> None:
    from servicegate.improvement.services import action_transition

    _retro(dana, team)
    action = Action.objects.get(owner=carol)
    card = Card.objects.get(action_id=action.pk)
    assert card.column.key == "todo"
    action_transition(action=action, to="do", by=carol)
    card.refresh_from_db()
    assert card.column.key == "doing"
    assert card.started_at is not None


def test_a_retro_action_is_done_when_its_kvp_action_is(team: Team, dana: User, carol: User) -> None:
    from servicegate.improvement.services import action_transition

    _retro(dana, team)
    action = Action.objects.get(owner=carol)
    for stage, note in (
        ("do", ""),
        ("check", "Night shift uses the list."),
        ("act", "Kept."),
        ("done", ""),
    ):
        action_transition(action=action, to=stage, by=carol, note=note)
    assert RetroAction.objects.get(action_id=action.pk).done
    assert Card.objects.get(action_id=action.pk).column.key == "done"
