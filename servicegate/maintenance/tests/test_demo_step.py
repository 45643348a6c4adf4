"""The demo step: wear parts with β > 1 and electronics with β < 1, preventive products,
accepted offers with plans and work orders, readings and condition alarms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.core.demo import DemoContext
from servicegate.maintenance.demo import FILLER, PRESS, build
from servicegate.maintenance.models import PreventivePlan, Reading
from servicegate.maintenance.selectors import reliability_overview
from servicegate.operations.models import Asset, Customer, Site
from servicegate.planning.capacity import promise_preventive_load
from servicegate.promises.models import GateReview, Promise

pytestmark = pytest.mark.django_db


@pytest.fixture
def installed_base(persona: Callable[[str], User]) -> dict[str, object]:
    segments = [Segment.objects.create(name=n) for n in ("Automotive", "Food", "Medical")]
    rng = np.random.default_rng(5)
    for c in range(6):
        customer = Customer.objects.create(number=f"K-{c}", name=f"Kunde {c}", segment=segments[0])
        site = Site.objects.create(customer=customer, name="Werk", city="Ulm")
        for i in range(12 - c):
            for model in (PRESS, FILLER):
                Asset.objects.create(
                    site=site,
                    product_model=model,
                    serial_number=f"{c}-{i}",
                    install_date=date(2016, 1, 1) + timedelta(days=int(rng.integers(0, 2500))),
                )
    office = BusinessCalendar.objects.create(
        name="Office",
        timezone="Europe/Berlin",
        definition={"timezone": "Europe/Berlin", "week": {"mon": ["08:00-16:00"]}},
    )
    return {
        "segments": segments,
        "users": {"manager": persona("bob"), "sales": persona("alice")},
        "calendars": [office],
        "promises": [],
    }


def test_build_sells_plans_on_wear_parts_and_raises_alarms(
    installed_base: dict[str, object],
) -> None:
    lines: list[str] = []
    ctx = DemoContext(
        seed=1,
        size="small",
        rng=np.random.default_rng(1),
        report=lines.append,
        objects=installed_base,
    )
    build(ctx)
    fits = {r.component.name: r for r in reliability_overview(until=timezone.now())}
    assert fits["Hydraulic pump"].fit is not None and fits["Hydraulic pump"].fit.beta > 1
    assert fits["Filler valve seals"].fit is not None and fits["Filler valve seals"].fit.beta > 1
    electronics = fits["Servo drive electronics"].fit
    assert electronics is not None and electronics.beta < 1
    assert ServiceProduct.objects.filter(kind="preventive").count() == 3
    plans = PreventivePlan.objects.all()
    assert plans.count() == 5 and all(p.work_orders.exists() for p in plans)
    assert Reading.objects.exists()
    assert lines[-1].startswith("demo: 5 components,") and "condition alarms" in lines[-1]
    assert " 0 condition alarms" not in lines[-1]
    # a promise of the press service to the segment waits in G1 with the hours it adds
    promise = Promise.objects.get(title="Press Care Plus: every visit on time")
    assert installed_base["promises"] == [promise]
    assert promise.state == "feasibility_review"
    assert GateReview.objects.filter(promise=promise, gate__code="G1", decision="").exists()
    load = promise_preventive_load(promise)
    assert load is not None and load.customers == 6 and load.hours_per_week > 0
