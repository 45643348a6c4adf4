"""The dispatcher's day plan: every visit keeps skills, windows, working hours and
non-overlap; tickets that cannot be planned are listed with their reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest
from django.contrib.auth.models import User

from servicegate.engines.routing import ROAD_FACTOR, SPEED_KMH, haversine_km
from servicegate.operations.models import Ticket
from servicegate.scheduling.errors import ScheduleRefused
from servicegate.scheduling.models import DayPlan, TechnicianBase, UnassignedTicket, Visit
from servicegate.scheduling.selectors import day_bounds
from servicegate.scheduling.services import day_plan_create
from servicegate.scheduling.tests.conftest import PLACES, at
from servicegate.team.models import Technician

CITIES = list(PLACES)


def _drive_minutes(a: tuple[float, float], b: tuple[float, float]) -> float:
    km = float(haversine_km(a[0], a[1], b[0], b[1])) * ROAD_FACTOR
    return km / SPEED_KMH * 60


def _where(ticket: Ticket) -> tuple[float, float]:
    site = ticket.asset.site  # type: ignore[union-attr]
    return site.latitude, site.longitude  # type: ignore[return-value]


def assert_plan_keeps_every_constraint(plan: DayPlan) -> None:
    """Skills, windows, working hours (with the drive home) and no overlap incl. travel."""
    start_of_day = day_bounds(plan.date)[0]
    shift_start, shift_end = at(plan.date, 8), at(plan.date, 16)
    by_tech: dict[int, list[Visit]] = {}
    for v in plan.visits.select_related("ticket__asset__site", "technician__base"):
        by_tech.setdefault(v.technician_id, []).append(v)
        held = set(v.technician.skills.values_list("name", flat=True))
        assert set(v.ticket.required_skills.values_list("name", flat=True)) <= held
        window_start = v.ticket.window_start or start_of_day
        window_end = v.ticket.window_end or start_of_day + dt.timedelta(days=1)
        assert window_start <= v.start and v.end <= window_end
        assert v.end - v.start == dt.timedelta(minutes=v.ticket.duration_minutes or 60)
    for visits in by_tech.values():
        visits.sort(key=lambda v: v.sequence)
        base: TechnicianBase = visits[0].technician.base
        here, clock = (base.latitude, base.longitude), shift_start
        for v in visits:
            drive = _drive_minutes(here, _where(v.ticket))
            assert v.start >= clock + dt.timedelta(minutes=drive - 0.05)  # rounding to seconds
            assert v.travel_minutes == pytest.approx(drive, abs=0.1)
            here, clock = _where(v.ticket), v.end
        home = dt.timedelta(minutes=_drive_minutes(here, (base.latitude, base.longitude)) - 0.05)
        assert clock + home <= shift_end


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_every_visit_keeps_skills_windows_hours_and_no_overlap(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
    seed: int,
) -> None:
    # given four technicians and 16 work orders with random windows, durations and skills
    rng = np.random.default_rng(seed)
    technician("A", "München", "Hydraulics", "PLC")
    technician("B", "Augsburg", "Robotics")
    technician("C", "Ingolstadt", "Hydraulics", "Robotics")
    technician("D", "Regensburg")
    skills = [(), ("Hydraulics",), ("Robotics",), ("PLC",), ("Hydraulics", "Robotics")]
    for _i in range(16):
        start = float(rng.choice([8, 9, 10, 12]))
        length = float(rng.choice([2, 3, 8]))
        work_order(
            CITIES[int(rng.integers(len(CITIES)))],
            day,
            start,
            min(16.0, start + length),
            int(rng.choice([30, 45, 60, 90])),
            *skills[int(rng.integers(len(skills)))],
        )
    # when
    plan = day_plan_create(day=day, by=dana)
    # then
    assert plan.visits.count() >= 8
    assert plan.visits.count() + plan.unassigned.count() == 16
    assert_plan_keeps_every_constraint(plan)
    assert set(plan.unassigned.values_list("reason", flat=True)) <= {"capacity", "window"}


def test_a_day_without_technicians_lists_every_ticket(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    # given a Sunday: the office calendar is closed
    sunday = day + dt.timedelta(days=6)
    technician("A", "München")
    tickets = [work_order("Ulm", sunday), work_order("Augsburg", sunday)]
    plan = day_plan_create(day=sunday, by=dana)
    assert not plan.visits.exists()
    assert list(plan.unassigned.values_list("ticket_id", "reason")) == [
        (t.pk, "no_technician") for t in tickets
    ]


def test_a_skill_nobody_has_leaves_the_ticket_out(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    technician("A", "München", "Hydraulics")
    doable = work_order("Freising", day, 8, 16, 60, "Hydraulics")
    nobody = work_order("Freising", day, 8, 16, 60, "Robotics")
    plan = day_plan_create(day=day, by=dana)
    assert list(plan.visits.values_list("ticket_id", flat=True)) == [doable.pk]
    left = plan.unassigned.get()
    assert (left.ticket_id, left.reason) == (nobody.pk, "no_skill")
    assert left.get_reason_display() == "No technician working that day holds the required skills."


@pytest.mark.parametrize(
    ("start_h", "end_h", "minutes"),
    [
        (19, 22, 60),  # after working hours
        (9, 9.5, 60),  # shorter than the work
        (8, 8.25, 10),  # too far to reach in time: Ulm is over an hour from München
    ],
)
def test_impossible_windows_are_unassigned_with_the_reason(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
    start_h: float,
    end_h: float,
    minutes: int,
) -> None:
    technician("A", "München")
    ticket = work_order("Ulm", day, start_h, end_h, minutes)
    plan = day_plan_create(day=day, by=dana)
    assert list(plan.unassigned.values_list("ticket_id", "reason")) == [(ticket.pk, "window")]


def test_a_site_without_coordinates_is_unassigned(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    technician("A", "München")
    ticket = work_order(None, day)
    plan = day_plan_create(day=day, by=dana)
    assert list(plan.unassigned.values_list("ticket_id", "reason")) == [(ticket.pk, "no_location")]


def test_absence_takes_the_technician_out(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    from servicegate.scheduling.models import Absence

    a = technician("A", "München")
    b = technician("B", "Augsburg")
    Absence.objects.create(
        technician=a, starts_at=at(day, 0), ends_at=at(day, 24), reason="sickness"
    )
    work_order("Freising", day)
    plan = day_plan_create(day=day, by=dana)
    assert list(plan.visits.values_list("technician_id", flat=True)) == [b.pk]


def test_only_named_technicians_are_planned(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    technician("A", "München")
    b = technician("B", "Augsburg")
    work_order("Freising", day)
    plan = day_plan_create(day=day, by=dana, technician_ids=[b.pk])
    assert list(plan.visits.values_list("technician_id", flat=True)) == [b.pk]
    with pytest.raises(ScheduleRefused, match="There is no active technician 999"):
        day_plan_create(day=day, by=dana, technician_ids=[b.pk, 999])


def test_closed_tickets_and_other_days_are_not_planned(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
) -> None:
    technician("A", "München")
    work_order("Freising", day, status="resolved")
    work_order("Freising", day + dt.timedelta(days=1))
    work_order("Freising", day, channel="remote")
    plan = day_plan_create(day=day, by=dana)
    assert not plan.visits.exists() and not plan.unassigned.exists()


def test_a_failed_save_leaves_nothing_behind(
    technician: Callable[..., Technician],
    work_order: Callable[..., Ticket],
    day: dt.date,
    dana: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    technician("A", "München")
    work_order("Freising", day)
    work_order("Freising", day, 8, 16, 60, "Robotics")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(UnassignedTicket.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        day_plan_create(day=day, by=dana)
    assert not DayPlan.objects.exists() and not Visit.objects.exists()


def test_a_past_day_is_refused(dana: User, day: dt.date, db: None) -> None:
    with pytest.raises(ScheduleRefused, match="lies in the past"):
        day_plan_create(day=day - dt.timedelta(days=30), by=dana)


def test_work_order_terms_are_checked(
    work_order: Callable[..., Ticket], day: dt.date, dana: User, carol: User
) -> None:
    from django.core.exceptions import PermissionDenied

    from servicegate.scheduling.services import work_order_terms_set

    ticket = work_order("Ulm", day)
    with pytest.raises(ScheduleRefused, match="The window ends before it starts"):
        work_order_terms_set(
            ticket=ticket,
            by=dana,
            window_start=at(day, 12),
            window_end=at(day, 9),
            duration_minutes=30,
        )
    with pytest.raises(ScheduleRefused, match="at least one minute"):
        work_order_terms_set(
            ticket=ticket, by=dana, window_start=None, window_end=None, duration_minutes=0
        )
    with pytest.raises(PermissionDenied):
        work_order_terms_set(
            ticket=ticket, by=carol, window_start=None, window_end=None, duration_minutes=30
        )
    work_order_terms_set(
        ticket=ticket, by=dana, window_start=at(day, 9), window_end=at(day, 12), duration_minutes=30
    )
    ticket.refresh_from_db()
    assert (ticket.window_start, ticket.duration_minutes) == (at(day, 9), 30)
