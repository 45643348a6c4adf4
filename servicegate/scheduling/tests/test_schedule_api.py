"""The schedule API: who may plan, what a plan looks like, and bad input."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from servicegate.accounts.services import token_create
from servicegate.conftest import RoleMatrix
from servicegate.operations.models import Ticket
from servicegate.scheduling.models import DayPlan
from servicegate.team.models import Technician


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user)[1]}"})


def _post(user: User, url: str, data: dict[str, Any]) -> Any:
    return _api(user).post(url, json.dumps(data), content_type="application/json")


def test_only_dispatchers_and_service_managers_plan(role_matrix: RoleMatrix, day: dt.date) -> None:
    role_matrix(
        "/api/v1/schedule",
        {"*": 403, "bob": 201, "dana": 201, "ada": 201},
        method="post",
        data={"date": day.isoformat()},
        api=True,
    )
    role_matrix(f"/api/v1/schedule/{day.isoformat()}", {"*": 200}, api=True)


def test_the_plan_answers_routes_unassigned_and_distance(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    a = technician("A", "München", "Hydraulics")
    ticket = work_order("Freising", day, 9, 12, 60, "Hydraulics")
    nobody = work_order("Freising", day, 9, 12, 60, "Robotics")
    response = _post(dana, "/api/v1/schedule", {"date": day.isoformat()})
    assert response.status_code == 201, response.content
    body = response.json()
    route = body["routes"][0]
    assert route["technician"] == a.pk and route["technician_skills"] == ["Hydraulics"]
    visit = route["visits"][0]
    assert visit["ticket"] == ticket.pk and visit["required_skills"] == ["Hydraulics"]
    assert visit["start"].startswith(f"{day.isoformat()}T09:00")
    assert set(visit) >= {"start", "end", "window_start", "window_end", "travel_minutes"}
    assert body["unassigned"] == [
        {
            "ticket": nobody.pk,
            "number": nobody.number,
            "reason": "no_skill",
            "detail": "No technician working that day holds the required skills.",
        }
    ]
    assert body["distance_km"] > 2 * 25  # München–Freising and back, by road
    assert _api(dana).get(f"/api/v1/schedule/{day.isoformat()}").json() == body


def test_bad_input_is_refused_with_a_sentence(
    technician: Callable[..., Technician], day: dt.date, dana: User
) -> None:
    technician("A", "München")
    bad_date = _post(dana, "/api/v1/schedule", {"date": "next monday"})
    assert bad_date.status_code == 422
    unknown = _post(dana, "/api/v1/schedule", {"date": day.isoformat(), "technicians": [999]})
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == (
        "There is no active technician 999; pick from the team's technicians."
    )
    past = _post(dana, "/api/v1/schedule", {"date": "2020-01-06"})
    assert past.status_code == 422
    assert past.json()["detail"] == "2020-01-06 lies in the past; plan today or a day ahead."
    fixed = _post(dana, "/api/v1/schedule", {"date": day.isoformat(), "fixed": [123]})
    assert fixed.status_code == 422 and "has no visit in the plan" in fixed.json()["detail"]
    assert not DayPlan.objects.exists()
    missing = _api(dana).get(f"/api/v1/schedule/{day.isoformat()}")
    assert missing.status_code == 404


def test_reading_a_plan_takes_a_fixed_number_of_queries(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i, city in enumerate(("München", "Augsburg", "Ingolstadt")):
        technician(f"T{i}", city, "Hydraulics")
    for city in ("Freising", "Ulm", "Landshut", "Augsburg", "Regensburg", "Rosenheim"):
        work_order(city, day, 8, 16, 45, "Hydraulics")
    work_order("Ulm", day, 8, 16, 45, "Robotics")
    assert _post(dana, "/api/v1/schedule", {"date": day.isoformat()}).status_code == 201
    client = _api(dana)
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/schedule/{day.isoformat()}").status_code == 200
