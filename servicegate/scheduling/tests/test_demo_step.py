"""The demo's scheduling step: bases, work orders for the coming days, a plan with visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.contrib.auth.models import User

from servicegate.core.demo import DemoContext
from servicegate.operations.models import Asset, Customer, Site, Ticket
from servicegate.scheduling.demo import build
from servicegate.scheduling.models import DayPlan, TechnicianBase
from servicegate.scheduling.tests.conftest import PLACES
from servicegate.team.models import Technician


def test_build_makes_next_mondays_plan_with_visits(
    technician: Callable[..., Technician], customer: Customer, dana: User, day: dt.date
) -> None:
    techs = [technician("T1", "München", "Hydraulics"), technician("T2", "Augsburg", "Robotics")]
    TechnicianBase.objects.all().delete()  # the step places the bases itself
    for i, (city, (lat, lon)) in enumerate(PLACES.items()):
        site = Site.objects.create(
            customer=customer, name=city, city=city, latitude=lat, longitude=lon
        )
        Asset.objects.create(site=site, product_model="M", serial_number=str(i))
    for tech, city in zip(techs, ("München", "Augsburg"), strict=True):
        tech.home_base = city
        tech.save()
    lines: list[str] = []
    ctx = DemoContext(
        seed=1,
        size="small",
        rng=np.random.default_rng(1),
        report=lines.append,
        objects={"users": {"dispatcher": dana}, "technicians": techs},
    )
    build(ctx)
    assert TechnicianBase.objects.count() == 2
    work_orders = Ticket.objects.filter(kind__in=["maintenance", "inspection"])
    assert work_orders.count() > 10
    assert not work_orders.filter(window_start__isnull=True).exists()
    plan = DayPlan.objects.get(date=day)
    assert plan.visits.count() >= 3
    assert lines[-1].startswith("demo: ") and "visits" in lines[-1]
