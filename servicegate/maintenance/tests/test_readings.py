"""Counter readings through the API: unknown counters and values going backwards are
refused with a sentence; usage and condition triggers order work from the readings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.catalog.models import ServiceProduct
from servicegate.conftest import RoleMatrix
from servicegate.maintenance.models import Counter, PlanWorkOrder, Reading
from servicegate.maintenance.services import plan_create, reading_record
from servicegate.operations.models import Asset, Customer

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def _post(user: User, url: str, data: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def machine(make_assets: Callable[[int], list[Asset]]) -> Asset:
    return make_assets(1)[0]


def test_who_may_record_a_reading(
    role_matrix: RoleMatrix, machine: Asset, hours_counter: Callable[[Asset], Counter]
) -> None:
    hours_counter(machine)
    url = f"/api/v1/assets/{machine.pk}/readings"
    role_matrix(
        url,
        {"*": 403, "bob": 201, "dana": 201, "ada": 201},
        method="post",
        data={"counter": "operating_hours", "value": 100, "at": T0.isoformat()},
        api=True,
    )
    assert Reading.objects.count() == 3  # bob, dana and ada; the same value again is no step back


def test_reading_is_stored_and_moves_the_counter(
    bob: User, machine: Asset, hours_counter: Callable[[Asset], Counter]
) -> None:
    counter = hours_counter(machine)
    url = f"/api/v1/assets/{machine.pk}/readings"
    response = _post(
        bob, url, {"counter": "operating_hours", "value": 1200.5, "at": T0.isoformat()}
    )
    assert response.status_code == 201, response.content
    assert response.json()["value"] == 1200.5 and response.json()["asset_id"] == machine.pk
    counter.refresh_from_db()
    assert counter.last_value == 1200.5 and counter.last_at == T0


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (
            {"counter": "cycles", "value": 5},
            "has no counter 'cycles'; its counters are: operating_hours.",
        ),
        (
            {"counter": "operating_hours", "value": 90},
            "only grows: 90.0 is below its last reading 100.0",
        ),
        (
            {
                "counter": "operating_hours",
                "value": 150,
                "at": (T0 - timedelta(days=1)).isoformat(),
            },
            "send readings in time order",
        ),
        (
            {"counter": "operating_hours", "value": 150, "at": "2999-01-01T00:00:00Z"},
            "lies in the future",
        ),
    ],
)
def test_bad_readings_are_refused_whole(
    bob: User,
    machine: Asset,
    hours_counter: Callable[[Asset], Counter],
    data: dict[str, Any],
    sentence: str,
) -> None:
    hours_counter(machine)
    reading_record(by=bob, asset=machine, counter="operating_hours", value=100, at=T0)
    data.setdefault("at", (T0 + timedelta(hours=1)).isoformat())
    response = _post(bob, f"/api/v1/assets/{machine.pk}/readings", data)
    assert response.status_code == 422
    assert sentence in response.json()["detail"]
    assert Reading.objects.count() == 1


def test_unknown_asset_is_404(bob: User) -> None:
    response = _post(bob, "/api/v1/assets/999/readings", {"counter": "x", "value": 1})
    assert response.status_code == 404


def test_condition_trigger_orders_a_check_when_the_threshold_is_crossed(
    alice: User,
    bob: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    machine: Asset,
) -> None:
    Counter.objects.create(asset=machine, name="vibration_mm_s", monotonic=False)
    plan = plan_create(
        by=alice,
        customer=customer,
        product=preventive_product,
        starts_on=T0.date(),
        triggers=[{"kind": "condition", "counter": "vibration_mm_s", "threshold": 7.1}],
    )
    assert plan.work_orders.count() == 0
    for hours, value in enumerate([3.0, 6.9, 7.4, 8.0, 5.0, 7.2]):
        reading_record(
            by=bob,
            asset=machine,
            counter="vibration_mm_s",
            value=value,
            at=T0 + timedelta(hours=hours),
        )
    # crossed at 7.4 and again at 7.2 after falling back; 8.0 stays above, no new order
    orders = list(PlanWorkOrder.objects.filter(plan=plan).order_by("id"))
    assert len(orders) == 2
    assert all(o.ticket.window_start is not None for o in orders)


def test_usage_trigger_orders_ahead_from_the_counters_rate(
    alice: User,
    bob: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    machine: Asset,
    hours_counter: Callable[[Asset], Counter],
) -> None:
    hours_counter(machine)
    # 20 operating hours a day for 10 days: 200 h
    for day in range(11):
        reading_record(
            by=bob,
            asset=machine,
            counter="operating_hours",
            value=20.0 * day,
            at=T0 + timedelta(days=day),
        )
    plan = plan_create(
        by=alice,
        customer=customer,
        product=preventive_product,
        starts_on=T0.date(),
        triggers=[{"kind": "usage", "counter": "operating_hours", "every": 500}],
    )
    # 90 days ahead of today at 20 h/day; the service is due at 500, 1000, … hours
    dues = list(plan.work_orders.order_by("due_on").values_list("occurrence", "due_on"))
    assert dues[0] == ("u1", (T0 + timedelta(days=25)).date())
    assert dues[1] == ("u2", (T0 + timedelta(days=50)).date())
