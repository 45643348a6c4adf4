"""Urgent on-site tickets go into today's plan; visits already under way stay fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from servicegate.operations.models import Ticket
from servicegate.scheduling.errors import ScheduleRefused
from servicegate.scheduling.services import day_plan_create, day_plan_insert_urgent
from servicegate.scheduling.tests.conftest import at
from servicegate.scheduling.tests.test_day_plan import assert_plan_keeps_every_constraint
from servicegate.team.models import Technician


@pytest.fixture
def morning_plan(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> list[Ticket]:
    technician("A", "München", "Hydraulics")
    technician("B", "Augsburg")
    return [
        work_order("Freising", day, 8, 12, 90, "Hydraulics"),
        work_order("Augsburg", day, 8, 12, 60),
        work_order("Ingolstadt", day, 11, 16, 60),
        work_order("Landshut", day, 10, 16, 120),
    ]


def test_started_visits_keep_technician_and_start(
    morning_plan: list[Ticket], work_order: Callable[..., Ticket], day: dt.date, dana: User
) -> None:
    # given the day planned at 07:00
    before = day_plan_create(day=day, by=dana, now=at(day, 7))
    started = {
        v.ticket_id: (v.technician_id, v.start)
        for v in before.visits.all()
        if v.start <= at(day, 10)
    }
    assert started
    # when an urgent incident comes in at 10:00
    urgent = work_order("Freising", day, None, None, 45, kind="incident", priority="P1")
    after = day_plan_insert_urgent(ticket=urgent, by=dana, now=at(day, 10))
    # then every started visit is where and when it was, and marked fixed
    kept = {
        v.ticket_id: (v.technician_id, v.start) for v in after.visits.filter(ticket_id__in=started)
    }
    assert kept == started
    assert all(after.visits.filter(ticket_id__in=started).values_list("fixed", flat=True))
    new = after.visits.get(ticket=urgent)
    assert new.start >= at(day, 10)
    assert_plan_keeps_every_constraint(after)


def test_named_fixed_tickets_stay_on_a_new_plan(
    morning_plan: list[Ticket], day: dt.date, dana: User
) -> None:
    first = day_plan_create(day=day, by=dana)
    pinned = first.visits.order_by("pk").first()
    assert pinned is not None
    second = day_plan_create(day=day, by=dana, fixed=[pinned.ticket_id])
    again = second.visits.get(ticket_id=pinned.ticket_id)
    assert (again.technician_id, again.start, again.fixed) == (
        pinned.technician_id,
        pinned.start,
        True,
    )


def test_a_fixed_ticket_without_a_visit_is_refused(
    morning_plan: list[Ticket], day: dt.date, dana: User
) -> None:
    with pytest.raises(ScheduleRefused, match="has no visit in the plan of"):
        day_plan_create(day=day, by=dana, fixed=[morning_plan[0].pk])


def test_only_open_on_site_incidents_are_urgent(
    morning_plan: list[Ticket], work_order: Callable[..., Ticket], day: dt.date, dana: User
) -> None:
    with pytest.raises(ScheduleRefused, match="Only an on-site incident or request"):
        day_plan_insert_urgent(ticket=morning_plan[0], by=dana, now=at(day, 9))
    done = work_order("Ulm", day, None, None, 30, kind="incident", status="resolved")
    with pytest.raises(ScheduleRefused, match="is already resolved") as caught:
        day_plan_insert_urgent(ticket=done, by=dana, now=at(day, 9))
    assert caught.value.status == 409
