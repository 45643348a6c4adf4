"""Delegation levels change who decides: from level 5 the team lead (dispatcher)
decides G3 service start, below it only the manager; bad levels change nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import RoleMatrix
from servicegate.promises import services as promise_services
from servicegate.promises.models import GateDefinition, GateReview, Promise
from servicegate.promises.tests.conftest import through_gates
from servicegate.promises.walkthrough import review_through
from servicegate.team.models import Delegation, Team
from servicegate.team.selectors import decides_by_delegation, delegation_level
from servicegate.team.services import delegation_set
from servicegate.team.tests.conftest import send


@pytest.fixture
def committed(product: ServiceProduct, alice: User, bob: User, quinn: User) -> Promise:
    """A committed promise whose G2 handover passed: G3 is the next decision."""
    calendar = BusinessCalendar.objects.create(name="Service hours", definition={})
    promise = promise_services.promise_create(
        by=alice,
        metric="first_response",
        target_value=Decimal("4"),
        target_unit="business_hours",
        attainment_percent=Decimal("95"),
        calendar=calendar,
        product=product,
        priority="P2",
        made_by_role="sales",
        source="offer",
        source_reference="A-1",
    )
    for to in ("feasibility_review", "approved", "committed"):
        promise = through_gates(promise, to, alice=alice, bob=bob, quinn=quinn)
    review_through(promise, "G2", by=bob)
    return promise


def _decide_g3(user: User, promise: Promise) -> Any:
    criteria = {c.pk: "yes" for c in GateDefinition.objects.get(code="G3").criteria.all()}
    return send(
        user,
        "post",
        f"/api/v1/promises/{promise.pk}/reviews",
        {
            "gate": "G3",
            "answers": criteria,
            "evidence": {k: "Asset register checked" for k in criteria},
            "decision": "pass",
        },
    )


def test_only_the_service_manager_sets_delegation(role_matrix: RoleMatrix) -> None:
    role_matrix(
        "/api/v1/delegation/overtime",
        {"*": 403, "bob": 200, "ada": 200},
        method="put",
        data={"level": 4},
        api=True,
    )
    assert delegation_level("overtime") == 4


def test_at_level_3_a_dispatchers_g3_decision_is_refused(
    committed: Promise, bob: User, dana: User
) -> None:
    # given the G3 decision consulted but kept by the manager
    assert send(bob, "put", "/api/v1/delegation/g3_service_start", {"level": 3}).status_code == 200
    # when the team lead decides G3
    response = _decide_g3(dana, committed)
    # then it is refused and nothing changed
    assert response.status_code == 403
    committed.refresh_from_db()
    assert committed.state == "committed"
    assert not GateReview.objects.filter(gate__code="G3").exists()


def test_at_level_7_a_dispatchers_g3_decision_starts_the_service(
    committed: Promise, bob: User, dana: User
) -> None:
    assert send(bob, "put", "/api/v1/delegation/g3_service_start", {"level": 7}).status_code == 200
    response = _decide_g3(dana, committed)
    assert response.status_code == 201, response.json()
    committed.refresh_from_db()
    assert committed.state == "in_service"


def test_a_team_level_delegates_to_that_teams_lead_only(
    team: Team, bob: User, dana: User, persona: object
) -> None:
    delegation_set(area="g3_service_start", level=6, team=team, by=bob)
    assert decides_by_delegation(dana, "g3_service_start")
    other = Team.objects.create(name="Nord")
    delegation_set(area="g3_service_start", level=2, team=other, by=bob)
    assert decides_by_delegation(dana, "g3_service_start")  # her own team's level counts
    delegation_set(area="g3_service_start", level=4, team=team, by=bob)
    assert not decides_by_delegation(dana, "g3_service_start")


def test_the_technician_never_decides_by_delegation(carol: User, bob: User) -> None:
    delegation_set(area="g3_service_start", level=7, by=bob)
    assert not decides_by_delegation(carol, "g3_service_start")


@pytest.mark.parametrize("level", [0, 8, -1])
def test_levels_outside_1_to_7_are_refused(bob: User, level: int) -> None:
    delegation_set(area="overtime", level=5, by=bob)
    response = send(bob, "put", "/api/v1/delegation/overtime", {"level": level})
    assert response.status_code == 422
    assert "between 1 (tell) and 7 (delegate)" in response.json()["detail"]
    assert Delegation.objects.get(area="overtime").level == 5


def test_an_unknown_area_is_404_with_the_areas(bob: User) -> None:
    response = send(bob, "put", "/api/v1/delegation/coffee", {"level": 5})
    assert response.status_code == 404
    assert "g3_service_start" in response.json()["detail"]
    assert not Delegation.objects.exists()


def test_the_delegation_list_shows_every_area(bob: User, victor: User) -> None:
    delegation_set(area="spare_part_orders", level=6, by=bob)
    rows = {r["area"]: r for r in send(victor, "get", "/api/v1/delegation/").json()}
    assert set(rows) == {
        "g1_decision",
        "g3_service_start",
        "preventive_plan_changes",
        "spare_part_orders",
        "overtime",
    }
    assert rows["spare_part_orders"]["team_decides"] is True
    assert rows["overtime"]["level"] == 1


def test_the_promise_page_offers_g3_to_the_lead_only_when_delegated(
    committed: Promise, bob: User, dana: User
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(dana)
    url = f"/promises/{committed.pk}/"
    g3 = GateDefinition.objects.get(code="G3")
    review_url = f"/promises/{committed.pk}/reviews/{g3.code}/open/"
    delegation_set(area="g3_service_start", level=4, by=bob)
    assert review_url not in client.get(url).content.decode()
    delegation_set(area="g3_service_start", level=5, by=bob)
    assert review_url in client.get(url).content.decode()


def test_the_lead_finds_g3_in_the_inbox_when_delegated(
    committed: Promise, bob: User, dana: User
) -> None:
    from servicegate.promises.inbox import promise_items

    assert promise_items(dana) == []
    delegation_set(area="g3_service_start", level=6, by=bob)
    assert [(i.kind, i.promise) for i in promise_items(dana)] == [("g3_decision", committed.pk)]
