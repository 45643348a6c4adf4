"""Remaining-life triggers: a visit when a wear part's median remaining life drops below
N days, once per part's life; parts failing at random never trigger."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.catalog.models import ServiceProduct
from servicegate.engines.reliability import WeibullFit
from servicegate.maintenance.errors import MaintenanceRefused
from servicegate.maintenance.models import Component, LifeEvent
from servicegate.maintenance.remaining_life import age_at_threshold, median_remaining_life
from servicegate.maintenance.services import plan_create, plan_generate
from servicegate.operations.models import Asset, Customer, Site

pytestmark = pytest.mark.django_db


def _fit(alpha: float, beta: float) -> WeibullFit:
    return WeibullFit(alpha, beta, 0.0, (alpha, alpha), (beta, beta), 10, 0)


def test_median_remaining_life_of_a_new_part_is_the_median_life() -> None:
    fit = _fit(1000.0, 2.5)
    assert median_remaining_life(fit, 0.0) == pytest.approx(1000 * math.log(2) ** (1 / 2.5))
    # wear: the older the part, the less life it has left
    assert median_remaining_life(fit, 800.0) < median_remaining_life(fit, 400.0)
    a = age_at_threshold(fit, 200.0)
    assert median_remaining_life(fit, a) == pytest.approx(200.0, abs=1e-6)
    assert age_at_threshold(fit, 5000.0) == 0.0


def test_worn_parts_are_ordered_once_per_life(
    alice: User,
    bob: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    pump: Component,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    # given a fleet whose pumps wear out (renewed at each failure; the fit gives β ≈ 1.6)
    now = timezone.now()
    fleet = make_assets(22)
    for i, asset in enumerate(fleet[2:]):
        at, k = datetime(2020, 1, 1, tzinfo=UTC), 0
        while True:
            u = ((i * 7 + k * 3) % 19 + 0.5) / 19
            at += timedelta(days=400 * (-math.log(1 - u)) ** (1 / 3))
            if at >= now:
                break
            LifeEvent.objects.create(asset=asset, component=pump, at=at, kind="failure")
            k += 1
    # and two presses installed in 2020 whose pumps never failed: worn by now
    old, renewed = fleet[:2]
    Asset.objects.filter(pk__in=[a.pk for a in fleet[2:]]).update(
        site=Site.objects.create(customer=_other(customer), name="Fleet", city="Ulm")
    )
    LifeEvent.objects.create(
        asset=renewed, component=pump, at=now - timedelta(days=1), kind="replacement"
    )
    # when a 3-year plan watches the pumps' remaining life (below 150 days)
    plan = plan_create(
        by=alice,
        customer=customer,
        product=preventive_product,
        starts_on=now.date(),
        months=36,
        triggers=[{"kind": "remaining_life", "threshold": 150}],
    )
    # then the old pump is due now; the pump replaced yesterday is not due within 90 days
    orders = list(plan.work_orders.all())
    assert [(o.asset_id, o.due_on) for o in orders] == [(old.pk, now.date())]
    assert plan_generate(plan=plan, by=alice) == 0
    # a new pump (failure today) starts a new life: ordered again when it wears, as is the
    # pump replaced yesterday, both about two years ahead
    LifeEvent.objects.create(asset=old, component=pump, at=now, kind="failure")
    assert plan_generate(plan=plan, by=alice, horizon_days=3650) == 2


def _other(customer: Customer) -> Customer:
    return Customer.objects.create(number="K-2", name="Fleet AG", segment=customer.segment)


def test_remaining_life_trigger_needs_its_threshold(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    make_assets(1)
    with pytest.raises(MaintenanceRefused, match="needs a threshold"):
        plan_create(
            by=alice,
            customer=customer,
            product=preventive_product,
            starts_on=datetime(2027, 1, 1, tzinfo=UTC).date(),
            triggers=[{"kind": "remaining_life"}],
        )
