"""Preventive plans order their work orders ahead, once: running the ordering again
opens nothing new, and a 12-month plan every N days on k assets opens about k·365/N."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from servicegate.catalog.models import ServiceProduct
from servicegate.maintenance.errors import MaintenanceRefused
from servicegate.maintenance.models import PlanWorkOrder
from servicegate.maintenance.services import plan_create, plan_generate, plans_order
from servicegate.maintenance.tests.conftest import START
from servicegate.operations.models import Asset, Customer, Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("k", "every"), [(1, 30), (3, 14), (5, 91)])
def test_k_assets_every_n_days_for_12_months(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
    k: int,
    every: int,
) -> None:
    # given k presses of the customer
    make_assets(k)
    # when alice sells a 12-month plan visiting every `every` days
    plan = plan_create(
        by=alice,
        customer=customer,
        product=preventive_product,
        starts_on=START,
        months=12,
        interval_days=every,
    )
    # then about k·365/N work orders are opened, each a preventive ticket with a window
    expected = k * -(-365 // every)  # ceil: the first visit falls on the start day
    orders = Ticket.objects.filter(plan_link__plan=plan)
    assert orders.count() == expected
    assert abs(expected - k * 365 / every) <= k
    ticket = orders.order_by("window_start").first()
    assert ticket is not None and ticket.kind == "maintenance" and ticket.channel == "on_site"
    assert ticket.duration_minutes == 90 and ticket.customer_id == customer.pk
    assert ticket.window_start is not None and ticket.window_end is not None
    assert ticket.window_start.date() == START - timedelta(days=7)
    assert ticket.window_end.date() == START + timedelta(days=8)


def test_ordering_twice_opens_no_duplicates(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    make_assets(2)
    plan = plan_create(by=alice, customer=customer, product=preventive_product, starts_on=START)
    before = Ticket.objects.count()
    # when the ordering runs again (the daily run, or by hand)
    assert plan_generate(plan=plan, by=alice) == 0
    assert plan_generate(plan=plan, by=alice, horizon_days=800) == 0
    # then nothing new is opened
    assert Ticket.objects.count() == before == PlanWorkOrder.objects.count() == 2 * 13


def test_plan_needs_assets_of_the_products_model(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[..., list[Asset]],
) -> None:
    with pytest.raises(MaintenanceRefused, match="has no PX-200"):
        plan_create(by=alice, customer=customer, product=preventive_product, starts_on=START)
    other = make_assets(1, "LX-9")
    with pytest.raises(MaintenanceRefused, match="is no PX-200"):
        plan_create(
            by=alice,
            customer=customer,
            product=preventive_product,
            starts_on=START,
            assets=other,
        )
    assert Ticket.objects.count() == 0


def test_a_reactive_product_is_no_preventive_plan(
    alice: User, customer: Customer, product: ServiceProduct
) -> None:
    with pytest.raises(MaintenanceRefused, match="no preventive service product"):
        plan_create(by=alice, customer=customer, product=product, starts_on=START)


def test_technicians_and_viewers_sell_no_plans(
    carol: User,
    victor: User,
    dana: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    make_assets(1)
    for user in (carol, victor, dana):
        with pytest.raises(MaintenanceRefused) as refused:
            plan_create(by=user, customer=customer, product=preventive_product, starts_on=START)
        assert refused.value.status == 403
    assert Ticket.objects.count() == 0


def test_the_daily_run_orders_ahead_and_ends_finished_plans(
    alice: User,
    customer: Customer,
    preventive_product: ServiceProduct,
    make_assets: Callable[[int], list[Asset]],
) -> None:
    make_assets(1)
    plan = plan_create(
        by=alice, customer=customer, product=preventive_product, starts_on=START, months=1
    )
    before = Ticket.objects.count()
    # while it runs: nothing new (time triggers are ordered at once), nothing ended
    run = plans_order(today=START + timedelta(days=3))
    assert (run.plans, run.work_orders, run.ended, run.refused) == (1, 0, 0, [])
    # after its period: ended, and not looked at again
    run = plans_order(today=START + timedelta(days=40))
    assert run.ended == 1 and Ticket.objects.count() == before
    plan.refresh_from_db()
    assert plan.status == "ended"
    assert plans_order(today=START + timedelta(days=41)).plans == 0
