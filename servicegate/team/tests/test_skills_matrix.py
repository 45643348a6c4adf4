"""The skills matrix ("service muscles"): self- and lead assessment on levels 0–4,
the products' needs and the gaps; the scheduler reads the lead's levels."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import RoleMatrix
from servicegate.team.models import Skill, SkillAssessment, Team, Technician, TechnicianSkill
from servicegate.team.services import skill_assess, skill_need_set
from servicegate.team.tests.conftest import send


@pytest.fixture
def hydraulics(db: None) -> Skill:
    return Skill.objects.create(name="Hydraulics", kind="technical")


@pytest.fixture
def explaining(db: None) -> Skill:
    return Skill.objects.create(name="Explaining", kind="social")


def test_everyone_on_the_staff_reads_the_matrix(role_matrix: RoleMatrix, team: Team) -> None:
    role_matrix("/api/v1/skills/matrix", {"*": 200}, api=True)


def test_the_lead_level_wins_over_the_self_assessment(
    team: Team, hydraulics: Skill, explaining: Skill, carol: User, dana: User
) -> None:
    # given carol rates herself 4 in hydraulics, her lead dana rates her 2
    assert (
        send(
            carol,
            "put",
            "/api/v1/skills/assessments",
            {"user": "carol", "skill": hydraulics.pk, "level": 4},
        ).status_code
        == 200
    )
    assert (
        send(
            dana,
            "put",
            "/api/v1/skills/assessments",
            {"user": "carol", "skill": hydraulics.pk, "level": 2},
        ).status_code
        == 200
    )
    skill_assess(person=carol, skill=explaining, level=3, by=carol)
    # when the matrix is read
    body = send(dana, "get", "/api/v1/skills/matrix", {"team": team.pk}).json()
    # then
    assert {s["name"]: s["kind"] for s in body["skills"]} == {
        "Hydraulics": "technical",
        "Explaining": "social",
    }
    row = next(p for p in body["people"] if p["user"] == "carol")
    assert row["role"] == "technician"
    assert row["levels"] == {str(hydraulics.pk): 2, str(explaining.pk): 3}
    assert row["self_levels"][str(hydraulics.pk)] == 4
    assert row["lead_levels"][str(hydraulics.pk)] == 2


def test_a_gap_is_a_need_fewer_people_cover(
    team: Team,
    hydraulics: Skill,
    product: ServiceProduct,
    bob: User,
    carol: User,
    dana: User,
) -> None:
    skill_need_set(product=product, skill=hydraulics, level=3, people=2, by=bob)
    skill_assess(person=carol, skill=hydraulics, level=3, by=dana)
    skill_assess(person=dana, skill=hydraulics, level=2, by=dana)  # self: 2 < 3
    gaps = send(bob, "get", "/api/v1/skills/matrix").json()["gaps"]
    assert gaps == [
        {
            "product": product.name,
            "product_id": product.pk,
            "skill": "Hydraulics",
            "skill_id": hydraulics.pk,
            "level": 3,
            "needed": 2,
            "have": 1,
            "missing": 1,
        }
    ]
    skill_assess(person=dana, skill=hydraulics, level=4, by=bob)  # the manager assesses
    assert send(bob, "get", "/api/v1/skills/matrix").json()["gaps"] == []


def test_only_the_person_and_their_lead_assess(
    team: Team, hydraulics: Skill, carol: User, victor: User, alice: User
) -> None:
    for who in (victor, alice):
        response = send(
            who,
            "put",
            "/api/v1/skills/assessments",
            {"user": "carol", "skill": hydraulics.pk, "level": 1},
        )
        assert response.status_code == 403
        assert "team lead" in response.json()["detail"]
    assert not SkillAssessment.objects.exists()


@pytest.mark.parametrize("level", [-1, 5])
def test_levels_outside_0_to_4_are_refused(
    team: Team, hydraulics: Skill, carol: User, level: int
) -> None:
    response = send(
        carol,
        "put",
        "/api/v1/skills/assessments",
        {"user": "carol", "skill": hydraulics.pk, "level": level},
    )
    assert response.status_code == 422
    assert "between 0 (none) and 4" in response.json()["detail"]
    assert not SkillAssessment.objects.exists()


def test_the_lead_assessment_sets_the_technicians_skill_for_the_scheduler(
    team: Team, hydraulics: Skill, carol: User, dana: User
) -> None:
    calendar = BusinessCalendar.objects.create(name="Service hours", definition={})
    tech = Technician.objects.create(
        user=carol, name="Carol", home_base="München", calendar=calendar
    )
    skill_assess(person=carol, skill=hydraulics, level=4, by=carol)  # self: not for the scheduler
    assert not TechnicianSkill.objects.exists()
    skill_assess(person=carol, skill=hydraulics, level=3, by=dana)
    assert TechnicianSkill.objects.get(technician=tech, skill=hydraulics).level == 3
    skill_assess(person=carol, skill=hydraulics, level=0, by=dana)
    assert not TechnicianSkill.objects.exists()


def test_the_matrix_reads_in_a_fixed_number_of_queries(
    team: Team,
    hydraulics: Skill,
    explaining: Skill,
    make_people: Callable[[int], None],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    from servicegate.team.selectors import skills_matrix

    make_people(3)
    with django_assert_max_num_queries(6):  # type: ignore[attr-defined]
        small = skills_matrix(team)
    make_people(12)
    with django_assert_max_num_queries(6):  # type: ignore[attr-defined]
        large = skills_matrix(team)
    assert len(large.people) > len(small.people)


@pytest.fixture
def make_people(team: Team, bob: User) -> Callable[[int], None]:
    from servicegate.conftest import make_user
    from servicegate.team.services import team_member_add

    def make(n: int) -> None:
        start = team.members.count()
        for i in range(n):
            user = make_user(f"tech{start + i}", "technician")
            team_member_add(team=team, user=user, by=bob)
            for skill in Skill.objects.all():
                skill_assess(person=user, skill=skill, level=i % 5, by=user)

    return make


def test_a_gap_becomes_a_development_action(
    team: Team, hydraulics: Skill, product: ServiceProduct, bob: User, carol: User, dana: User
) -> None:
    from servicegate.improvement.models import Action

    skill_need_set(product=product, skill=hydraulics, level=3, people=1, by=bob)
    body = {"product": product.pk, "skill": hydraulics.pk, "owner": "carol"}
    assert send(carol, "post", "/api/v1/skills/gaps/actions", body).status_code == 403
    response = send(dana, "post", "/api/v1/skills/gaps/actions", body)
    assert response.status_code == 201, response.json()
    action = Action.objects.get()
    assert (action.owner, action.kpi, action.product_id) == (
        carol,
        "product_attainment",
        product.pk,
    )
    assert action.title.startswith("Develop Hydraulics to level 3")
    skill_assess(person=carol, skill=hydraulics, level=3, by=dana)  # the gap is closed
    closed = send(dana, "post", "/api/v1/skills/gaps/actions", body)
    assert closed.status_code == 409
    assert Action.objects.count() == 1
