"""Moving a visit to another technician re-checks every constraint; a refusal saves nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from servicegate.operations.models import Ticket
from servicegate.scheduling.errors import ScheduleRefused
from servicegate.scheduling.models import DayPlan
from servicegate.scheduling.services import day_plan_create, visit_reassign
from servicegate.scheduling.tests.test_day_plan import assert_plan_keeps_every_constraint
from servicegate.team.models import Technician


def test_a_visit_moves_to_a_technician_who_can_take_it(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    a = technician("A", "München", "Hydraulics")
    b = technician("B", "Freising", "Hydraulics")
    ticket = work_order("Freising", day, 8, 16, 60, "Hydraulics")
    plan = day_plan_create(day=day, by=dana, technician_ids=[a.pk])
    visit = plan.visits.get()
    moved = visit_reassign(visit=visit, technician_id=b.pk, by=dana)
    assert moved.visits.get(ticket=ticket).technician_id == b.pk
    assert_plan_keeps_every_constraint(moved)


def test_a_technician_without_the_skill_is_refused(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    technician("A", "München", "Hydraulics")
    b = technician("B", "Freising")
    work_order("Freising", day, 8, 16, 60, "Hydraulics")
    plan = day_plan_create(day=day, by=dana)
    with pytest.raises(ScheduleRefused) as caught:
        visit_reassign(visit=plan.visits.get(), technician_id=b.pk, by=dana)
    assert str(caught.value) == (
        "The visit cannot move to that technician: "
        "No technician working that day holds the required skills."
    )
    assert DayPlan.objects.count() == 1


def test_only_the_plan_in_force_is_changed(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    technician("A", "München")
    b = technician("B", "Freising")
    work_order("Freising", day)
    old = day_plan_create(day=day, by=dana)
    day_plan_create(day=day, by=dana)
    with pytest.raises(ScheduleRefused, match="older plan") as caught:
        visit_reassign(visit=old.visits.get(), technician_id=b.pk, by=dana)
    assert caught.value.status == 409


def test_past_days_and_started_visits_stay(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    from servicegate.scheduling.tests.conftest import at

    technician("A", "München")
    b = technician("B", "Freising")
    work_order("Freising", day, 9, 12, 60)
    plan = day_plan_create(day=day, by=dana)
    visit = plan.visits.get()
    with pytest.raises(ScheduleRefused, match="lies in the past") as past:
        visit_reassign(visit=visit, technician_id=b.pk, by=dana, now=at(day, 24 * 2))
    assert past.value.status == 409
    with pytest.raises(ScheduleRefused, match="The visit has started") as started:
        visit_reassign(visit=visit, technician_id=b.pk, by=dana, now=visit.start)
    assert started.value.status == 409
    assert DayPlan.objects.count() == 1
