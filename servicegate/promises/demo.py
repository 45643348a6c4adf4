"""Demo step: service products over the three segments, promises in every state,
gate reviews and contracts — all made through the services, so history is real."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog import services as catalog_services
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.core.demo import DemoContext
from servicegate.operations.models import Customer
from servicegate.promises import services
from servicegate.promises.models import Contract, GateDefinition, Promise

# name, segment index, kind, price model, amount, channel, regions, value proposition
PRODUCTS: tuple[tuple[str, int, str, str, int, str, list[str], str], ...] = (
    (
        "Remote Hotline Premium",
        0,
        "reactive",
        "subscription",
        1490,
        "remote",
        ["DE", "AT", "CH"],
        "A service engineer answers within 4 business hours, diagnoses remotely.",
    ),
    (
        "On-site Repair 24h",
        0,
        "reactive",
        "per_incident",
        1850,
        "on_site",
        ["Bayern", "Baden-Württemberg"],
        "A technician is on site within 24 hours to restore the line.",
    ),
    (
        "Preventive Maintenance Plus",
        0,
        "preventive",
        "subscription",
        4200,
        "on_site",
        ["DE"],
        "Planned inspections keep unplanned downtime below 1 %.",
    ),
    (
        "Line Availability 99.5",
        0,
        "preventive",
        "subscription",
        9800,
        "hybrid",
        ["DE"],
        "Guaranteed 99.5 % availability of the press line.",
    ),
    (
        "Remote Health Check",
        1,
        "preventive",
        "fixed",
        690,
        "remote",
        ["DE", "AT"],
        "Quarterly remote check finds wear before it stops the filling line.",
    ),
    (
        "Seasonal Peak Standby",
        1,
        "reactive",
        "fixed",
        3500,
        "on_site",
        ["Nordrhein-Westfalen", "Niedersachsen"],
        "A technician on standby during your seasonal peak.",
    ),
    (
        "Hygiene Maintenance Package",
        1,
        "preventive",
        "subscription",
        2600,
        "on_site",
        ["DE"],
        "Hygiene-compliant maintenance with documented cleaning.",
    ),
    (
        "Operator Training",
        1,
        "training",
        "per_hour",
        145,
        "hybrid",
        ["DE", "AT", "CH"],
        "Your operators fix the simple faults themselves.",
    ),
    (
        "Validated Service Contract",
        2,
        "preventive",
        "subscription",
        7800,
        "on_site",
        ["DE", "CH"],
        "GMP-compliant, fully documented service for validated equipment.",
    ),
    (
        "Remote Expert Desk",
        2,
        "reactive",
        "per_hour",
        180,
        "remote",
        ["DE", "AT", "CH"],
        "Certified experts available by phone and remote session.",
    ),
    (
        "Self-Service Knowledge Portal",
        2,
        "consulting",
        "subscription",
        290,
        "self_service",
        [],
        "Manuals, fault trees and spare-part lists 24/7.",
    ),
    (
        "Calibration & Qualification",
        2,
        "consulting",
        "fixed",
        2400,
        "on_site",
        ["DE"],
        "Calibration and IQ/OQ documentation for your audits.",
    ),
)

# product index, metric, target, unit, attainment %, priority, calendar index, final state
PROMISES: tuple[tuple[int, str, str, str, str, str, int, str], ...] = (
    (0, "first_response", "4", "business_hours", "95", "P2", 0, "in_service"),
    (0, "first_response", "1", "hours", "90", "P1", 2, "under_review"),
    (0, "update_interval", "8", "business_hours", "90", "P2", 0, "draft"),
    (1, "onsite_arrival", "24", "hours", "95", "P1", 2, "committed"),
    (1, "resolution", "2", "business_days", "85", "P2", 0, "rejected"),
    (2, "preventive_on_time", "95", "percent", "95", "", 0, "in_service"),
    (3, "availability", "99.5", "percent", "100", "", 2, "feasibility_review"),
    (4, "first_response", "8", "business_hours", "90", "P3", 0, "approved"),
    (5, "onsite_arrival", "4", "hours", "90", "P1", 1, "feasibility_review"),
    (6, "preventive_on_time", "90", "percent", "95", "", 0, "retired"),
    (8, "first_time_fix", "80", "percent", "90", "", 0, "in_service"),
    (9, "first_response", "2", "business_hours", "95", "P2", 1, "draft"),
    (11, "resolution", "5", "business_days", "90", "P3", 0, "approved"),
)

# Segment-wide promises in service (no contract): they give most demo tickets their clocks.
SEGMENT_PROMISES: tuple[tuple[int, str, str, str, str, str, int, str], ...] = (
    (0, "resolution", "3", "business_days", "90", "P3", 0, "in_service"),
    (0, "first_response", "8", "business_hours", "90", "P3", 0, "in_service"),
    (4, "first_response", "4", "business_hours", "95", "P2", 0, "in_service"),
    (4, "resolution", "2", "business_days", "85", "P2", 0, "in_service"),
    (8, "first_response", "2", "business_hours", "95", "P2", 1, "in_service"),
    (8, "first_response", "1", "hours", "90", "P1", 2, "in_service"),
)

PATH = ("feasibility_review", "approved", "committed", "in_service", "under_review")


def build(ctx: DemoContext) -> None:
    """Create the catalogue, contracts, promises (every state), reviews and history."""
    users: dict[str, User] = ctx.objects["users"]
    segments: list[Segment] = ctx.objects["segments"]
    calendars: list[BusinessCalendar] = ctx.objects["calendars"]
    customers: list[Customer] = ctx.objects["customers"]
    products = [_product(spec, segments, users) for spec in PRODUCTS]
    contracts = _contracts(ctx, products, customers, users["sales"])
    promises = [_promise(ctx, spec, products, calendars, contracts, users) for spec in PROMISES]
    promises += [_promise(ctx, spec, products, calendars, [], users) for spec in SEGMENT_PROMISES]
    ctx.objects.update(products=products, promises=promises, contracts=contracts)
    ctx.report(
        f"demo: {len(products)} products, {len(promises)} promises, {len(contracts)} contracts"
    )


def _product(
    spec: tuple[Any, ...], segments: list[Segment], users: dict[str, User]
) -> ServiceProduct:
    name, seg, kind, model, amount, channel, regions, value = spec
    owner = users["manager"] if kind in ("reactive", "preventive") else users["sales"]
    return catalog_services.product_create(
        by=users["manager"],
        name=name,
        segment=segments[seg],
        owner=owner,
        kind=kind,
        scope=f"{name}: {value}",
        price_model=model,
        price_amount=Decimal(amount),
        currency="EUR",
        channel=channel,
        regions=regions,
        value_proposition=value,
        target_message=f"{segments[seg].name}: {value}",
    )


def _contracts(
    ctx: DemoContext, products: list[ServiceProduct], customers: list[Customer], sales: User
) -> list[Contract]:
    contracts = []
    for i in range(5):
        product = products[int(ctx.rng.integers(len(products)))]
        candidates = [c for c in customers if c.segment_id == product.segment_id]
        customer = candidates[int(ctx.rng.integers(len(candidates)))]
        start = dt.date(2025, 1 + 2 * i, 1)
        contracts.append(
            services.contract_create(
                by=sales,
                number=f"SV-2025-{101 + i}",
                customer=customer,
                starts_on=start,
                ends_on=start.replace(year=start.year + 2),
                products=[product],
                notes="Escalation via key account manager.",
            )
        )
    return contracts


def _promise(
    ctx: DemoContext,
    spec: tuple[Any, ...],
    products: list[ServiceProduct],
    calendars: list[BusinessCalendar],
    contracts: list[Contract],
    users: dict[str, User],
) -> Promise:
    idx, metric, target, unit, pct, prio, cal, final = spec
    product = products[idx]
    contract = next((c for c in contracts if product in c.products.all()), None)
    promise = services.promise_create(
        by=users["sales"],
        product=product,
        metric=metric,
        target_value=Decimal(target),
        target_unit=unit,
        attainment_percent=Decimal(pct),
        priority=prio,
        calendar=calendars[cal],
        made_by_role=["sales", "marketing", "pre_sales"][idx % 3],
        source="contract" if contract else ["offer", "brochure", "website"][idx % 3],
        source_reference=contract.number
        if contract
        else f"A-2025-{int(ctx.rng.integers(100, 999))}",
        contract=contract,
        customer=contract.customer if contract else None,
        valid_from=dt.date(2025, 1, 1),
    )
    if final == "draft":
        return promise
    promise = services.promise_transition(
        promise=promise,
        to="feasibility_review",
        by=users["sales"],
        comment="Please check feasibility.",
    )
    if final == "feasibility_review":
        return promise
    _decide_g1(promise, users["manager"], reject=final == "rejected")
    for to in PATH[2:]:
        if final in ("approved", "rejected"):
            break
        by = {
            "committed": users["sales"],
            "in_service": users["manager"],
            "under_review": users["quality"],
        }[to]
        promise = services.promise_transition(promise=promise, to=to, by=by)
        if to == final:
            break
    if final == "retired":
        promise = services.promise_transition(
            promise=promise,
            to="retired",
            by=users["quality"],
            comment="Replaced by the hygiene package 2026.",
        )
    if final in ("under_review", "retired"):
        _g4(promise, users["quality"], decide=final == "retired")
    promise.refresh_from_db()
    return promise


def _decide_g1(promise: Promise, manager: User, *, reject: bool) -> None:
    review = services.gate_review_open(
        gate=GateDefinition.objects.get(code="G1"), promise=promise, by=manager
    )
    if reject:
        services.gate_review_decide(
            review=review,
            decision="fail",
            by=manager,
            comments="Resolution within 2 business days is not reachable with current staffing.",
            counter_proposal="85 % of P2 incidents resolved within 3 business days.",
        )
        return
    services.gate_review_answer(
        review=review,
        by=manager,
        answers={a.criterion_id: ("yes", "") for a in review.answers.all()},
    )
    services.evidence_add(
        review=review,
        by=manager,
        kind="text",
        text="Comparable promises attained 96.8 % over the last 12 months.",
    )
    services.gate_review_decide(review=review, decision="pass", by=manager, comments="Feasible.")


def _g4(promise: Promise, quality: User, *, decide: bool) -> None:
    review = services.gate_review_open(
        gate=GateDefinition.objects.get(code="G4"), promise=promise, by=quality
    )
    if decide:
        services.gate_review_decide(
            review=review,
            decision="fail",
            by=quality,
            comments="Attainment 78 % against 95 % promised.",
            counter_proposal="Relax to 90 % and add one technician in the north.",
        )
