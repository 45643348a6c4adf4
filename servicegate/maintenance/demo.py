"""Demo step: reliability data, preventive products, counters and accepted offers.

Three machine types of the demo's installed base get components — wear parts that age
(β > 1) and electronics that fail at random (β < 1) — with lives drawn from Weibull
distributions since each asset's installation. Three preventive products enter the
catalogue; Sales accepts the best offer of the customers with the most presses and
filling lines; a press plan watches vibration, and some presses cross its threshold
(condition alarms). Sales proposes "Press Care Plus" to the whole segment with a promise
of visits on time; its G1 review shows the technician hours the visits would add.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from servicegate.catalog.services import product_create
from servicegate.core.demo import DemoContext
from servicegate.maintenance import services
from servicegate.maintenance.models import Component
from servicegate.maintenance.offers import customer_offers
from servicegate.operations.models import Asset, Customer
from servicegate.promises import services as promise_services
from servicegate.promises.gate_services import gate_review_open
from servicegate.promises.models import AuditEntry, GateDefinition, GateReview, Promise
from servicegate.team.models import Skill

PRESS, FILLER, HYDRAULIC = "PX-200 Servo press", "FL-80 Filling line", "HY-50 Hydraulic unit"
# asset model, component, class, α (days), β, downtime hours, Cf, Cp
COMPONENTS = (
    (PRESS, "Hydraulic pump", "wear", 700.0, 2.6, 16.0, "4200", "900"),
    (PRESS, "Servo drive electronics", "electronics", 2600.0, 0.6, 6.0, "2500", "1800"),
    (FILLER, "Filler valve seals", "wear", 330.0, 3.2, 5.0, "1500", "250"),
    (FILLER, "PLC I/O module", "electronics", 3000.0, 0.6, 4.0, "900", "700"),
    (HYDRAULIC, "Pump", "wear", 900.0, 2.2, 10.0, "3000", "700"),
)
# name, asset model, segment index, work kind, price model, amount, interval, minutes, skill,
# components covered (empty: all of the model)
PRODUCTS: tuple[tuple[Any, ...], ...] = (
    ("Press Care Plus", PRESS, 0, "preventive", "subscription", "210", 180, 150, "Hydraulics",
     ("Hydraulic pump",)),
    ("Servo Drive Health Check", PRESS, 0, "remote_check", "fixed", "120", 90, 45,
     "Remote diagnostics", ("Servo drive electronics",)),
    ("Filling Line Seal Service", FILLER, 1, "preventive", "fixed", "480", 120, 90,
     "Packaging lines", ("Filler valve seals",)),
)  # fmt: skip


def build(ctx: DemoContext) -> None:
    """Create the area's demo data through its services."""
    manager: User = ctx.objects["users"]["manager"]
    sales: User = ctx.objects["users"]["sales"]
    components = _components(manager)
    events = _lives(ctx.rng, components, manager)
    products = _products(ctx, manager, components)
    plans = _sell(sales, products)
    alarms = _vibration(ctx.rng, manager, sales, products[0], plans)
    ctx.objects["preventive_plans"] = plans
    ctx.objects["promises"].append(_promise_in_g1(ctx, sales, manager, products[0]))
    ctx.report(
        f"demo: {len(components)} components, {events} life events,"
        f" {len(plans)} preventive plans with"
        f" {sum(p.work_orders.count() for p in plans)} work orders, {alarms} condition alarms"
    )


def _promise_in_g1(ctx: DemoContext, sales: User, manager: User, product: Any) -> Promise:
    """A promise of the press service to its whole segment, waiting in G1 review."""
    draft = promise_services.promise_create(
        by=sales,
        title="Press Care Plus: every visit on time",
        product=product,
        metric="preventive_on_time",
        target_value=Decimal("95"),
        target_unit="percent",
        attainment_percent=Decimal("95"),
        calendar=ctx.objects["calendars"][0],
        made_by_role="sales",
        source="brochure",
        source_reference="Press Care Plus 2027",
    )
    promise = promise_services.promise_transition(
        promise=draft, to="feasibility_review", by=sales, comment="Can we keep this?"
    )
    review = gate_review_open(
        gate=GateDefinition.objects.get(code="G1"), promise=promise, by=manager
    )
    # proposed four days ago (the demo makes it in one go), like the other promises' history
    at = timezone.now() - timedelta(days=4)
    kinds = ContentType.objects.get_for_models(Promise, GateReview)
    AuditEntry.objects.filter(content_type=kinds[Promise], object_id=promise.pk).update(at=at)
    AuditEntry.objects.filter(content_type=kinds[GateReview], object_id=review.pk).update(at=at)
    Promise.objects.filter(pk=promise.pk).update(created_at=at, state_changed_at=at)
    GateReview.objects.filter(pk=review.pk).update(created_at=at)
    promise.refresh_from_db()
    return promise


def _components(manager: User) -> dict[tuple[str, str], tuple[Component, float, float]]:
    result = {}
    for model_name, name, cls, alpha, beta, downtime, cf, cp in COMPONENTS:
        model = services.asset_model_ensure(by=manager, name=model_name)
        component = services.component_ensure(
            by=manager,
            asset_model=model,
            name=name,
            component_class=cls,
            downtime_hours=downtime,
            cost_failure=Decimal(cf),
            cost_preventive=Decimal(cp),
        )
        result[model_name, name] = (component, alpha, beta)
    return result


def _lives(
    rng: np.random.Generator,
    components: dict[tuple[str, str], tuple[Component, float, float]],
    manager: User,
) -> int:
    """Failures (and one in eight lives ended by a replacement) since installation."""
    now = timezone.now()
    rows = []
    for (model_name, _name), (component, alpha, beta) in components.items():
        for asset in Asset.objects.filter(product_model=model_name).order_by("id"):
            installed = asset.install_date or (now - timedelta(days=1000)).date()
            at = datetime.combine(installed, time(9), tzinfo=UTC)
            while True:
                at += timedelta(days=float(alpha * rng.weibull(beta)))
                if at >= now:
                    break
                kind = "replacement" if rng.random() < 0.125 else "failure"
                rows.append((asset, component, at, kind))
    return services.life_events_record(by=manager, events=rows)


def _products(
    ctx: DemoContext,
    manager: User,
    components: dict[tuple[str, str], tuple[Component, float, float]],
) -> list[Any]:
    segments = ctx.objects["segments"]
    products = []
    for name, model, seg, kind, price_model, amount, interval, minutes, skill, covered in PRODUCTS:
        product = product_create(
            by=manager,
            name=name,
            segment=segments[seg],
            owner=manager,
            kind="preventive",
            scope=f"Planned {kind.replace('_', ' ')} of the {model}: {', '.join(covered)}.",
            price_model=price_model,
            price_amount=Decimal(amount),
            currency="EUR",
            channel="remote" if kind == "remote_check" else "on_site",
            regions=[],
            value_proposition="Fewer unplanned stops: the parts that wear are renewed in time.",
            is_active=True,
        )
        services.terms_set(
            by=manager,
            product=product,
            asset_model=components[model, covered[0]][0].asset_model,
            interval_days=interval,
            components=[components[model, c][0] for c in covered],
            skill_ids=Skill.objects.filter(name=skill).values_list("pk", flat=True),
            work_kind=kind,
            duration_minutes=minutes,
        )
        products.append(product)
    return products


def _top_customers(model: str, n: int) -> list[Customer]:
    ids = (
        Asset.objects.filter(product_model=model)
        .values("site__customer")
        .annotate(n=Count("id"))
        .order_by("-n", "site__customer")[:n]
    )
    found = Customer.objects.in_bulk([row["site__customer"] for row in ids])
    return [found[row["site__customer"]] for row in ids]


def _sell(sales: User, products: list[Any]) -> list[Any]:
    """Sales accepts the best offer of the customers with the most presses and fillers."""
    plans = []
    today = timezone.localdate()
    for model in (PRESS, FILLER):
        for customer in _top_customers(model, 2):
            offers = customer_offers(customer, now=timezone.now())
            if offers:
                plans.append(
                    services.offer_accept(
                        by=sales, customer=customer, offer_id=offers[0].id, starts_on=today
                    )
                )
    return plans


def _vibration(
    rng: np.random.Generator, manager: User, sales: User, product: Any, plans: list[Any]
) -> int:
    """A press plan that watches vibration; readings of the last 30 days, some crossing."""
    [customer] = _top_customers(PRESS, 3)[2:] or _top_customers(PRESS, 1)
    now = timezone.now()
    plan = services.plan_create(
        by=sales,
        customer=customer,
        product=product,
        starts_on=(now - timedelta(days=30)).date(),
        triggers=[
            {"kind": "time", "every": 180},
            {"kind": "condition", "counter": "vibration_mm_s", "threshold": 7.1},
        ],
    )
    plans.append(plan)
    for i, asset in enumerate(plan.assets.order_by("id")):
        services.counter_create(by=manager, asset=asset, name="operating_hours", unit="h")
        services.counter_create(
            by=manager, asset=asset, name="vibration_mm_s", unit="mm/s", monotonic=False
        )
        hours, level = float(rng.integers(8000, 30000)), float(rng.uniform(2.0, 5.0))
        # the first press and two in five of the others wear their bearings: vibration
        # creeps up past the alarm threshold
        worn = rng.random() < 0.4 or i == 0
        drift = float(rng.uniform(0.2, 0.35)) if worn else float(rng.normal(0, 0.01))
        for day in range(30, 0, -3):
            at = now - timedelta(days=day)
            hours += 16 * 3
            level = max(0.5, level + drift * 3 + float(rng.normal(0, 0.3)))
            services.reading_record(
                by=manager, asset=asset, counter="operating_hours", value=hours, at=at
            )
            services.reading_record(
                by=manager, asset=asset, counter="vibration_mm_s", value=round(level, 2), at=at
            )
    return plan.work_orders.filter(trigger__kind="condition").count()
