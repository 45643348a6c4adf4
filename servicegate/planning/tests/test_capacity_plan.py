"""The joint capacity plan: rows add up and match the forecast, staffing, work orders and
calendars they come from; bad input is refused with a sentence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from servicegate.calendars.models import BusinessCalendar
from servicegate.conftest import RoleMatrix
from servicegate.engines.queueing import required_agents
from servicegate.operations.models import Asset, Customer, Site, Ticket
from servicegate.planning.capacity import capacity_plan, plan_start
from servicegate.planning.selectors import TicketScope, demand_forecast
from servicegate.planning.tests.conftest import api_client
from servicegate.promises.models import Promise
from servicegate.scheduling.models import Absence
from servicegate.team.models import Technician

OFFICE = {
    "timezone": "Europe/Berlin",
    "week": {d: ["08:00-16:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}
TZ = ZoneInfo(settings.TIME_ZONE)


@pytest.fixture
def office(db: None) -> BusinessCalendar:
    """Monday to Friday, 8 hours a day: 40 open hours a week."""
    return BusinessCalendar.objects.create(
        name="Office", timezone="Europe/Berlin", definition=OFFICE
    )


@pytest.fixture
def monday() -> dt.date:
    return plan_start(timezone.localdate())


def _at(day: dt.date, hour: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=TZ) + dt.timedelta(hours=hour)


def _work_order(n: int, at: dt.datetime, minutes: int | None, **extra: Any) -> Ticket:
    return Ticket.objects.create(
        external_id=f"WO{n}",
        number=f"WO{n}",
        kind=extra.pop("kind", "maintenance"),
        channel="on_site",
        opened_at=timezone.now() - dt.timedelta(days=3),
        window_start=at,
        window_end=at + dt.timedelta(hours=8),
        duration_minutes=minutes,
        **extra,
    )


def test_available_hours_are_calendar_hours_minus_absences(
    office: BusinessCalendar, monday: dt.date
) -> None:
    # given two office technicians; one is away Tuesday and Wednesday of the first week
    a = Technician.objects.create(name="A", home_base="Ulm", calendar=office)
    Technician.objects.create(name="B", home_base="Ulm", calendar=office)
    Technician.objects.create(name="Gone", home_base="Ulm", calendar=office, is_active=False)
    tue = monday + dt.timedelta(days=1)
    Absence.objects.create(technician=a, starts_at=_at(tue), ends_at=_at(tue, 48), reason="holiday")
    # an overlapping absence is not subtracted twice
    Absence.objects.create(
        technician=a, starts_at=_at(tue, 12), ends_at=_at(tue, 20), reason="other"
    )
    # when
    plan = capacity_plan(weeks=3)
    # then
    assert [w.available_hours for w in plan.weeks] == pytest.approx([64.0, 80.0, 80.0])
    assert plan.weeks[0].week == monday and plan.weeks[2].week == monday + dt.timedelta(days=14)


def test_preventive_hours_are_planned_durations_of_open_work_orders(
    office: BusinessCalendar, monday: dt.date
) -> None:
    Technician.objects.create(name="A", home_base="Ulm", calendar=office)
    _work_order(1, _at(monday, 9), 90)
    _work_order(2, _at(monday + dt.timedelta(days=4), 9), 120, kind="inspection")
    _work_order(3, _at(monday + dt.timedelta(days=8), 9), None)  # counts the default hour
    _work_order(4, _at(monday, 10), 300, status="cancelled")  # not counted
    _work_order(5, _at(monday, 10), 300, kind="incident")  # reactive: not counted here
    _work_order(6, _at(monday - dt.timedelta(days=1), 10), 300)  # before the plan
    plan = capacity_plan(weeks=2)
    assert [w.preventive_hours for w in plan.weeks] == pytest.approx([3.5, 1.0])


def test_extra_hours_of_an_offer_add_to_every_week(office: BusinessCalendar) -> None:
    Technician.objects.create(name="A", home_base="Ulm", calendar=office)
    base = capacity_plan(weeks=4)
    what_if = capacity_plan(weeks=4, extra_hours=12.5)
    for before, after in zip(base.weeks, what_if.weeks, strict=True):
        assert after.preventive_hours == pytest.approx(before.preventive_hours + 12.5)
        assert after.available_hours == before.available_hours


def test_reactive_hours_are_the_forecast_times_the_handling_time(
    team: Callable[[int], list[Technician]],
    tickets: Callable[..., int],
    monday: dt.date,
) -> None:
    # given 8 weeks of 70 tickets a week, each worked for 2 hours, and a 24/7 team
    team(3)
    tickets(70, weeks=8, work_hours=2.0)
    # when
    plan = capacity_plan(weeks=2)
    # then the tickets per week are the daily forecast summed over each week's days
    fc = demand_forecast(TicketScope(), horizon_days=40).forecast
    assert fc is not None
    days = fc.bucket_starts.astype("datetime64[D]")
    first = np.datetime64(monday, "D")
    expected = [
        float(fc.mean[(days >= first + 7 * i) & (days < first + 7 * (i + 1))].sum())
        for i in range(2)
    ]
    assert plan.reactive_source == "forecast"
    assert list(plan.reactive_tickets) == pytest.approx(expected)
    assert plan.aht_measured and plan.aht_seconds == pytest.approx(7200.0)
    for week, n in zip(plan.weeks, plan.reactive_tickets, strict=True):
        assert week.reactive_hours == pytest.approx(n * 2.0)


def test_buffer_comes_from_erlang_c_at_the_promised_level(
    team: Callable[[int], list[Technician]],
    tickets: Callable[..., int],
    promise: Promise,
) -> None:
    # given a 24/7 team, 70 tickets a week of one hour, a promise in service
    # ("90 % of first responses within 4 hours" on a 24/7 calendar)
    team(3)
    tickets(70, weeks=8, work_hours=1.0)
    Promise.objects.filter(pk=promise.pk).update(state="in_service")
    # when
    plan = capacity_plan(weeks=2)
    # then n·168 h − reactive hours, with n from the staffing engine
    for week, n_tickets, setter in zip(
        plan.weeks, plan.reactive_tickets, plan.buffer_promise, strict=True
    ):
        agents = required_agents(
            arrival_rate=n_tickets / (168 * 3600),
            aht_seconds=3600.0,
            answer_within_seconds=4 * 3600.0,
            target_service_level=0.9,
        ).agents
        assert setter == promise.pk
        assert week.buffer_hours == pytest.approx(agents * 168 - week.reactive_hours)
        assert week.utilisation == pytest.approx(
            (week.reactive_hours + week.preventive_hours) / week.available_hours
        )
        assert week.available_hours == pytest.approx(3 * 168)


def test_a_team_is_a_region_of_technicians_and_sites(
    office: BusinessCalendar, customer: Customer, monday: dt.date
) -> None:
    Technician.objects.create(name="North", home_base="Kiel", region="Nord", calendar=office)
    Technician.objects.create(name="South", home_base="Ulm", region="Süd", calendar=office)
    site = Site.objects.create(customer=customer, name="Werk", city="Kiel", region="Nord")
    asset = Asset.objects.create(site=site, product_model="X", serial_number="1")
    _work_order(1, _at(monday, 9), 60, asset=asset)
    _work_order(2, _at(monday, 9), 120)  # no site: the organisation's, not Nord's
    north = capacity_plan(weeks=1, team="Nord")
    everyone = capacity_plan(weeks=1)
    assert north.weeks[0].available_hours == pytest.approx(40.0)
    assert north.weeks[0].preventive_hours == pytest.approx(1.0)
    assert everyone.weeks[0].available_hours == pytest.approx(80.0)
    assert everyone.weeks[0].preventive_hours == pytest.approx(3.0)


def test_over_capacity_when_work_and_buffer_exceed_the_hours(
    office: BusinessCalendar, monday: dt.date
) -> None:
    Technician.objects.create(name="A", home_base="Ulm", calendar=office)
    _work_order(1, _at(monday, 9), 45 * 60)
    plan = capacity_plan(weeks=2)
    assert plan.weeks[0].over_capacity and not plan.weeks[1].over_capacity
    assert plan.weeks[0].utilisation == pytest.approx(45 / 40)


def test_api_rows_carry_the_issue_fields(office: BusinessCalendar, victor: User) -> None:
    Technician.objects.create(name="A", home_base="Ulm", calendar=office)
    response = api_client(victor).get("/api/v1/capacity?weeks=3&extra_hours=4")
    assert response.status_code == 200, response.content
    rows = response.json()["rows"]
    assert len(rows) == 3
    assert set(rows[0]) == {
        "week",
        "reactive_hours",
        "preventive_hours",
        "buffer_hours",
        "available_hours",
        "utilisation",
    }
    assert rows[0]["preventive_hours"] == 4.0 and rows[0]["utilisation"] == 0.1


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("weeks=0", "The plan covers 1 to 26 weeks; 0 weeks were asked for."),
        ("weeks=27", "The plan covers 1 to 26 weeks; 27 weeks were asked for."),
        ("extra_hours=-1", "The extra hours per week (-1.0) must lie between 0 and 10000."),
        ("team=Atlantis", "The team “Atlantis” has no active technicians; pick one of: –."),
    ],
)
def test_bad_input_is_422_with_a_sentence(
    office: BusinessCalendar, victor: User, query: str, sentence: str
) -> None:
    Technician.objects.create(name="A", home_base="Ulm", calendar=office)
    response = api_client(victor).get(f"/api/v1/capacity?{query}")
    assert response.status_code == 422
    assert response.json()["detail"] == sentence


def test_every_staff_role_reads_the_plan(role_matrix: RoleMatrix, office: BusinessCalendar) -> None:
    role_matrix("/api/v1/capacity?weeks=2", {"*": 200}, api=True)
    role_matrix("/planning/capacity/?weeks=2", {"*": 200})


def test_anonymous_gets_no_plan(client: object, db: None) -> None:
    assert client.get("/api/v1/capacity").status_code == 401  # type: ignore[attr-defined]


def test_the_plan_reads_in_a_fixed_number_of_queries(
    office: BusinessCalendar,
    monday: dt.date,
    victor: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    techs = [
        Technician.objects.create(name=f"T{i}", home_base="Ulm", calendar=office) for i in range(6)
    ]
    for i, tech in enumerate(techs):
        Absence.objects.create(
            technician=tech, starts_at=_at(monday), ends_at=_at(monday, 30), reason="sickness"
        )
        _work_order(i, _at(monday, 9), 60)
    client = api_client(victor)
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/capacity?weeks=8").status_code == 200
