"""A small service region for the scheduling tests.

An office calendar (Monday to Friday, 08:00–16:00 Berlin time), technicians with home
bases in southern Germany and skills, customer sites with coordinates, and
``work_order(...)`` to make on-site preventive work orders or incidents. Plans are made
for ``day``, next Monday, unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from servicegate.calendars.models import BusinessCalendar
from servicegate.operations.models import Asset, Customer, Site, Ticket
from servicegate.scheduling.models import TechnicianBase
from servicegate.team.models import Skill, Technician, TechnicianSkill

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = {
    "timezone": "Europe/Berlin",
    "week": {d: ["08:00-16:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}
# city, latitude, longitude
PLACES = {
    "München": (48.137, 11.575),
    "Augsburg": (48.371, 10.898),
    "Ingolstadt": (48.766, 11.425),
    "Ulm": (48.401, 9.988),
    "Regensburg": (49.013, 12.101),
    "Landshut": (48.537, 12.152),
    "Rosenheim": (47.857, 12.122),
    "Freising": (48.403, 11.749),
}


@pytest.fixture
def day() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def at(day: dt.date, hours: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=BERLIN) + dt.timedelta(hours=hours)


@pytest.fixture
def office(db: None) -> BusinessCalendar:
    return BusinessCalendar.objects.create(
        name="Office", timezone="Europe/Berlin", definition=OFFICE
    )


@pytest.fixture
def skills(db: None) -> dict[str, Skill]:
    return {
        n: Skill.objects.create(name=n, kind="technical") for n in ("Hydraulics", "Robotics", "PLC")
    }


@pytest.fixture
def technician(office: BusinessCalendar, skills: dict[str, Skill]) -> Callable[..., Technician]:
    """``technician(name, city, *skill_names)`` with a home base at the city."""

    def make(name: str, city: str, *names: str) -> Technician:
        tech = Technician.objects.create(name=name, home_base=city, calendar=office)
        lat, lon = PLACES[city]
        TechnicianBase.objects.create(technician=tech, latitude=lat, longitude=lon)
        for n in names:
            TechnicianSkill.objects.create(technician=tech, skill=skills[n], level=2)
        return tech

    return make


@pytest.fixture
def work_order(customer: Customer, skills: dict[str, Skill]) -> Callable[..., Ticket]:
    """``work_order(city, start_h, end_h, minutes, *skills, day=..., kind=...)``."""
    count = [0]

    def make(
        city: str | None,
        day: dt.date,
        start_h: float | None = 8,
        end_h: float | None = 16,
        minutes: int = 60,
        *names: str,
        kind: str = "maintenance",
        **extra: Any,
    ) -> Ticket:
        count[0] += 1
        lat, lon = PLACES[city] if city else (None, None)
        site = Site.objects.create(
            customer=customer,
            name=f"Werk {count[0]}",
            city=city or "?",
            latitude=lat,
            longitude=lon,
        )
        asset = Asset.objects.create(site=site, product_model="M", serial_number=str(count[0]))
        ticket = Ticket.objects.create(
            # long enough that no random token on a page (CSRF, nonce) contains it
            external_id=f"WO-TEST-{count[0]:05d}",
            number=f"WO-TEST-{count[0]:05d}",
            kind=kind,
            channel=extra.pop("channel", "on_site"),
            priority=extra.pop("priority", "P3"),
            customer=customer,
            asset=asset,
            opened_at=timezone.now() - dt.timedelta(days=2),
            window_start=None if start_h is None else at(day, start_h),
            window_end=None if end_h is None else at(day, end_h),
            duration_minutes=minutes,
            **extra,
        )
        ticket.required_skills.set([skills[n] for n in names])
        return ticket

    return make
