"""Condition alarms wait in the dispatchers' inbox until a technician holds them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.catalog.models import ServiceProduct
from servicegate.maintenance.inbox import condition_alarm_items
from servicegate.maintenance.models import Counter
from servicegate.maintenance.services import plan_create, reading_record
from servicegate.operations.models import Asset, Customer

pytestmark = pytest.mark.django_db


def test_alarm_waits_for_dispatchers_only(
    alice: User,
    bob: User,
    dana: User,
    victor: User,
    carol: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    [press] = make_assets(1)
    Counter.objects.create(asset=press, name="vibration_mm_s", monotonic=False)
    now = timezone.now()
    plan_create(
        by=alice,
        customer=customer,
        product=preventive_product,
        starts_on=now.date(),
        triggers=[{"kind": "condition", "counter": "vibration_mm_s", "threshold": 7.1}],
    )
    reading_record(
        by=bob, asset=press, counter="vibration_mm_s", value=3.0, at=now - timedelta(hours=2)
    )
    reading_record(
        by=bob, asset=press, counter="vibration_mm_s", value=7.6, at=now - timedelta(hours=1)
    )
    [item] = condition_alarm_items(dana)
    assert item.kind == "condition_alarm" and "crossed vibration_mm_s ≥ 7.1" in item.title
    assert item.url == f"/operations/tickets/{item.ticket}/"
    assert len(condition_alarm_items(bob)) == 1
    assert condition_alarm_items(victor) == condition_alarm_items(carol) == []
    assert condition_alarm_items(alice) == []
