"""The buffer of the capacity plan: each promise in service is staffed by Erlang C for the
tickets in its scope, and only the part of its open hours the team works counts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.engines.queueing import required_agents
from servicegate.planning.capacity import capacity_plan
from servicegate.promises import services
from servicegate.promises.models import Promise
from servicegate.team.models import Technician

OFFICE = {
    "timezone": "Europe/Berlin",
    "week": {d: ["08:00-16:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}


@pytest.fixture
def p1_promise(alice: User, product: ServiceProduct, calendar: BusinessCalendar) -> Promise:
    """ "90 % of P1 first responses within 1 hour" around the clock, in service."""
    p1 = services.promise_create(
        by=alice,
        metric="first_response",
        target_value=Decimal("1"),
        target_unit="hours",
        attainment_percent=Decimal("90"),
        calendar=calendar,
        product=product,
        priority="P1",
        made_by_role="sales",
        source="offer",
    )
    Promise.objects.filter(pk=p1.pk).update(state="in_service")
    return p1


def _agents(tickets_per_week: float) -> int:
    return required_agents(
        arrival_rate=tickets_per_week / (168 * 3600),
        aht_seconds=3600.0,
        answer_within_seconds=3600.0,
        target_service_level=0.9,
    ).agents


def test_a_promise_buffers_only_the_tickets_in_its_scope(
    team: Callable[[int], list[Technician]],
    tickets: Callable[..., int],
    p1_promise: Promise,
) -> None:
    # given 70 P2 and 10 P1 tickets a week, and a P1 promise in service on the 24/7 calendar
    team(3)
    tickets(70, weeks=8, priority="P2", work_hours=1.0)
    tickets(10, weeks=8, priority="P1", work_hours=1.0)
    # when
    plan = capacity_plan(weeks=1)
    # then Erlang C staffs the P1 share of the forecast (10 of 80 tickets), not all of it
    week, forecast = plan.weeks[0], plan.reactive_tickets[0]
    p1_tickets = forecast * 10 / 80
    agents = _agents(p1_tickets)
    assert plan.buffer_promise == (p1_promise.pk,)
    assert week.buffer_hours == pytest.approx(agents * 168 - p1_tickets)


def test_standby_outside_the_teams_working_hours_is_not_counted(
    tickets: Callable[..., int], p1_promise: Promise
) -> None:
    # given an office team (40 h a week) and the same P1 promise open around the clock
    office = BusinessCalendar.objects.create(
        name="Office", timezone="Europe/Berlin", definition=OFFICE
    )
    for i in range(3):
        Technician.objects.create(name=f"T{i}", home_base="Ulm", calendar=office)
    tickets(70, weeks=8, priority="P2", work_hours=1.0)
    tickets(10, weeks=8, priority="P1", work_hours=1.0)
    # when
    plan = capacity_plan(weeks=1)
    # then only the 40 of its 168 open hours that the team works are buffered
    week, p1_tickets = plan.weeks[0], plan.reactive_tickets[0] * 10 / 80
    around_the_clock = _agents(p1_tickets) * 168 - p1_tickets
    assert week.buffer_hours == pytest.approx(around_the_clock * 40 / 168)
