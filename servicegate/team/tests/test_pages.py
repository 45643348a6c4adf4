"""The team pages: everyone on the staff reads them; only the service manager sets a
delegation level on the delegation board; the board's plain form moves a card."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from servicegate.conftest import RoleMatrix
from servicegate.team.board_services import card_add
from servicegate.team.models import Delegation, Team


def test_every_team_page_is_readable_by_the_staff(role_matrix: RoleMatrix, team: Team) -> None:
    for url in (
        "/team/",
        "/team/board/",
        "/team/flow/",
        "/team/skills/",
        "/team/delegation/",
        "/team/retrospectives/",
        "/team/feedback/",
        "/team/initiatives/",
        "/team/knowledge/",
    ):
        role_matrix(url, {"*": 200})


def test_only_the_service_manager_sets_a_level_on_the_delegation_board(
    role_matrix: RoleMatrix,
) -> None:
    role_matrix(
        "/team/delegation/",
        {"*": 403, "bob": 302, "ada": 302},
        method="post",
        data={"area": "overtime", "level": "6"},
    )
    assert Delegation.objects.get(area="overtime").level == 6


def test_the_boards_plain_form_moves_a_card(team: Team, dana: User) -> None:
    card = card_add(team=team, by=dana, title="Check the spindle")
    client = Client()
    client.force_login(dana)
    response = client.post(f"/team/board/cards/{card.pk}/move/", {"to": "doing"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.column.key == "doing"
    page = client.get(f"/team/board/?team={team.pk}").content.decode()
    assert "Check the spindle" in page


def test_the_feedback_page_shows_a_note_only_to_the_person_and_the_lead(
    team: Team, dana: User, carol: User, bob: User
) -> None:
    from servicegate.team.reflection_services import feedback_create

    feedback_create(person=carol, by=dana, strengths="Explains the machine patiently.")
    for user, sees in ((carol, True), (dana, True), (bob, False)):
        client = Client()
        client.force_login(user)
        page = client.get("/team/feedback/").content.decode()
        assert ("Explains the machine patiently." in page) is sees


def test_the_skills_page_assesses_and_turns_a_gap_into_an_action(
    team: Team, dana: User, carol: User, victor: User, product: object, bob: User
) -> None:
    from servicegate.improvement.models import Action
    from servicegate.team.models import Skill, SkillAssessment
    from servicegate.team.services import skill_need_set

    skill = Skill.objects.create(name="Hydraulics", kind="technical")
    skill_need_set(product=product, skill=skill, level=3, people=1, by=bob)
    form = {"person": carol.pk, "skill": skill.pk, "level": 2}
    for user, status in ((victor, 403), (carol, 302), (dana, 302)):
        client = Client()
        client.force_login(user)
        assert client.post("/team/skills/", form).status_code == status
    assessment = SkillAssessment.objects.get(user=carol, skill=skill)
    assert (assessment.self_level, assessment.lead_level) == (2, 2)
    client = Client()
    client.force_login(dana)
    page = client.get("/team/skills/").content.decode()
    assert "Development action" in page
    develop = {"product": product.pk, "skill": skill.pk, "owner": carol.pk}  # type: ignore[attr-defined]
    assert client.post("/team/skills/", develop).status_code == 302
    assert Action.objects.get().owner == carol


def test_the_lead_sets_a_wip_limit_on_the_board(role_matrix: RoleMatrix, team: Team) -> None:
    column = team.columns.get(key="doing")
    url = f"/team/board/columns/{column.pk}/limit/"
    role_matrix(
        url, {"*": 403, "dana": 302, "bob": 302, "ada": 302}, method="post", data={"wip_limit": "3"}
    )
    column.refresh_from_db()
    assert column.wip_limit == 3
