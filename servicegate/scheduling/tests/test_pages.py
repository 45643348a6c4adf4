"""The scheduling pages: the day plan with timeline and sketch, moving a visit, my day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from servicegate.conftest import RoleMatrix
from servicegate.operations.models import Ticket
from servicegate.scheduling.models import DayPlan
from servicegate.scheduling.services import day_plan_create
from servicegate.team.models import Technician


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_who_sees_and_who_plans(role_matrix: RoleMatrix, day: dt.date) -> None:
    role_matrix(f"/scheduling/?date={day.isoformat()}", {"*": 200})
    role_matrix(f"/scheduling/my-day/?date={day.isoformat()}", {"*": 200})
    role_matrix(
        "/scheduling/plan/",
        {"*": 403, "bob": 302, "dana": 302, "ada": 302},
        method="post",
        data={"date": day.isoformat()},
    )
    role_matrix(
        "/scheduling/urgent/",
        {"*": 403, "bob": 302, "dana": 302, "ada": 302},
        method="post",
        data={"ticket": "X"},
    )


def test_planning_from_the_page_shows_timeline_sketch_and_reasons(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
    victor: User,
) -> None:
    technician("A", "München", "Hydraulics")
    technician("B", "Augsburg")
    work_order("Freising", day, 9, 12, 60, "Hydraulics")
    work_order("Ulm", day, 8, 16, 60)
    work_order("Regensburg", day, 8, 16, 60, "Robotics")
    client = _login(dana)
    response = client.post("/scheduling/plan/", {"date": day.isoformat()}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="gantt-row"') == 2
    assert html.count('data-testid="gantt-visit"') == 2
    assert html.count("<polyline") == 2 and "✕" in html
    assert "No technician working that day holds the required skills." in html
    assert "The day was planned." in html
    # the visits can be dragged onto another row (a small script posts the same move)
    assert html.count("data-reassign-url=") == 2 and "scheduling/drag.js" in html
    viewer = _login(victor).get(f"/scheduling/?date={day.isoformat()}").content.decode()
    assert "data-reassign-url=" not in viewer and "drag.js" not in viewer


def test_moving_a_visit_from_the_page_rechecks_skills(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    technician("A", "München", "Hydraulics")
    b = technician("B", "Freising")
    work_order("Freising", day, 9, 12, 60, "Hydraulics")
    plan = day_plan_create(day=day, by=dana)
    visit = plan.visits.get()
    response = _login(dana).post(
        f"/scheduling/visits/{visit.pk}/reassign/", {"technician": b.pk}, follow=True
    )
    assert "The visit cannot move to that technician" in response.content.decode()
    assert DayPlan.objects.count() == 1


def test_a_technician_sees_their_own_day(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
    carol: User,
) -> None:
    mine = technician("Carol", "München")
    mine.user = carol
    mine.save()
    technician("Other", "Ulm")
    near = work_order("Freising", day, 9, 12, 60)
    far = work_order("Ulm", day, 9, 12, 60)
    day_plan_create(day=day, by=dana)
    html = _login(carol).get(f"/scheduling/my-day/?date={day.isoformat()}").content.decode()
    assert near.number in html and far.number not in html
    other = _login(dana).get(f"/scheduling/my-day/?date={day.isoformat()}").content.decode()
    assert 'data-testid="not-a-technician"' in other


def test_the_day_page_reads_in_a_fixed_number_of_queries(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i, city in enumerate(("München", "Augsburg", "Ingolstadt", "Regensburg")):
        technician(f"T{i}", city, "Hydraulics")
    for city in ("Freising", "Ulm", "Landshut", "Augsburg", "Rosenheim", "Freising"):
        work_order(city, day, 8, 16, 45, "Hydraulics")
    work_order("Ulm", day, 8, 16, 45, "Robotics")
    day_plan_create(day=day, by=dana)
    client = _login(dana)
    with django_assert_max_num_queries(16):
        assert client.get(f"/scheduling/?date={day.isoformat()}").status_code == 200


def test_the_dashboard_counts_todays_visits(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    dana: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    from django.utils import timezone

    from servicegate.scheduling.dashboard import visits_today
    from servicegate.scheduling.tests.conftest import at

    today = timezone.localdate()
    if today.weekday() >= 5:
        pytest.skip("The office calendar is closed on weekends, so today has no visits.")
    technician("A", "München")
    work_order("Freising", today, 0, 24, 30)
    plan = day_plan_create(day=today, by=dana, now=at(today, 0))
    with django_assert_max_num_queries(1):
        panel = visits_today()
    assert panel.context["value"] == plan.visits.count() == 1


def test_the_inbox_holds_my_visits_and_the_tickets_left_out(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    dana: User,
    carol: User,
    victor: User,
) -> None:
    from django.utils import timezone

    from servicegate.scheduling.inbox import schedule_items
    from servicegate.scheduling.tests.conftest import at

    today = timezone.localdate()
    if today.weekday() >= 5:
        pytest.skip("The office calendar is closed on weekends, so today has no visits.")
    mine = technician("Carol", "München")
    mine.user = carol
    mine.save()
    ticket = work_order("Freising", today, 0, 24, 30)
    work_order("Freising", today, 0, 24, 30, "Robotics")
    day_plan_create(day=today, by=dana, now=at(today, 0))
    [visit] = schedule_items(carol)
    assert visit.kind == "visit_today" and visit.ticket == ticket.pk
    [left] = schedule_items(dana)
    assert left.kind == "tickets_left_out"
    assert left.title == f"The plan of {today.isoformat()} leaves 1 ticket without a visit."
    assert schedule_items(victor) == []


def test_the_pages_speak_german(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    technician("A", "München")
    work_order("Freising", day)
    work_order("Freising", day, 8, 16, 60, "Robotics")
    day_plan_create(day=day, by=dana)
    client = _login(dana)
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    html = client.get(f"/scheduling/?date={day.isoformat()}", headers=german).content.decode()
    assert "Zeitleiste je Techniker" in html
    assert "Kein Techniker, der an diesem Tag arbeitet, hat die nötigen Fähigkeiten." in html
    # the timeline and the sketch draw as in English: coordinates never take a decimal comma
    english = client.get(f"/scheduling/?date={day.isoformat()}").content.decode()
    coordinates = re.compile(r'\b(?:x|y|x1|x2|cx|cy|width|points)="([^"]*)"')
    assert coordinates.findall(html) == coordinates.findall(english)
    assert any("." in value for value in coordinates.findall(html))
    # the browser's date picker reads ISO dates only: the day stays filled in
    assert f'type="date" name="date" value="{day.isoformat()}"' in html
    capacity = client.get("/planning/capacity/?weeks=2", headers=german).content.decode()
    assert "Kapazitätsplan" in capacity and "Verfügbare Stunden" in capacity
