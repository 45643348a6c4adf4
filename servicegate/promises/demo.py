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
from servicegate.promises.revision import promise_revise
from servicegate.promises.walkthrough import review_through

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
    promises.append(_revision(promises, users["sales"]))
    _spread_history(ctx, promises)
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
    manager, quality = users["manager"], users["quality"]
    _decide_g1(promise, manager, reject=final == "rejected")
    if final in ("approved", "rejected"):
        return _fresh(promise)
    services.promise_transition(promise=promise, to="committed", by=users["sales"])
    if final == "committed":
        return _fresh(promise)
    review_through(promise, "G2", by=manager, evidence="Signed contract and contact list.")
    review_through(promise, "G3", by=manager, evidence="Assets registered, clocks attached.")
    if final == "in_service":
        return _fresh(promise)
    services.promise_transition(promise=_fresh(promise), to="under_review", by=quality)
    if final == "under_review":
        services.gate_review_open(
            gate=GateDefinition.objects.get(code="G4"), promise=promise, by=quality
        )
        return _fresh(promise)
    review_through(
        promise,
        "G4",
        by=quality,
        decision="fail",
        evidence="Attainment report for the last 12 months.",
        comments="Attainment 78 % against 95 % promised.",
        counter_proposal="Relax to 90 % and add one technician in the north.",
    )
    services.promise_transition(
        promise=_fresh(promise),
        to="retired",
        by=quality,
        comment="Replaced by the hygiene package 2026.",
    )
    return _fresh(promise)


def _revision(promises: list[Promise], sales: User) -> Promise:
    """A successor draft of the first promise in service, with a tighter attainment level."""
    original = next(p for p in promises if p.state == "in_service")
    successor = promise_revise(promise=original, by=sales)
    return services.promise_update(
        promise=successor,
        by=sales,
        version=successor.version,
        attainment_percent=min(Decimal("99"), original.attainment_percent + 2),
    )


def _fresh(promise: Promise) -> Promise:
    return Promise.objects.get(pk=promise.pk)


def _decide_g1(promise: Promise, manager: User, *, reject: bool) -> None:
    if reject:
        review_through(
            promise,
            "G1",
            by=manager,
            decision="fail",
            evidence="Staffing plan: two technicians short in the north.",
            comments="Resolution within 2 business days is not reachable with current staffing.",
            counter_proposal="85 % of P2 incidents resolved within 3 business days.",
        )
        return
    review_through(
        promise,
        "G1",
        by=manager,
        evidence="Comparable promises attained 96.8 % over the last 12 months.",
        comments="Feasible.",
    )


def _spread_history(ctx: DemoContext, promises: list[Promise]) -> None:
    """Spread each promise's history over the past months (the demo makes it in one go):
    each entry 2–20 days after the one before, the last 1–30 days ago;
    ``state_changed_at`` follows its last transition, its reviews their entries."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from servicegate.promises.models import AuditEntry, GateReview

    now = timezone.now()
    kinds = ContentType.objects.get_for_models(Promise, GateReview)
    for promise in promises:
        reviews = list(GateReview.objects.filter(promise=promise).order_by("pk"))
        entries = list(
            AuditEntry.objects.filter(content_type=kinds[Promise], object_id=promise.pk)
            | AuditEntry.objects.filter(
                content_type=kinds[GateReview], object_id__in=[r.pk for r in reviews]
            )
        )
        entries.sort(key=lambda e: (e.at, e.pk))
        gaps = [
            dt.timedelta(days=int(ctx.rng.integers(2, 20)), hours=int(ctx.rng.integers(8)))
            for _entry in entries
        ]
        at = now - sum(gaps, dt.timedelta(days=int(ctx.rng.integers(1, 30))))
        for entry, gap in zip(entries, gaps, strict=True):
            entry.at = at
            at += gap
        AuditEntry.objects.bulk_update(entries, ["at"])
        moved = [e.at for e in entries if e.action == "transition" and e.object_id == promise.pk]
        if entries:
            Promise.objects.filter(pk=promise.pk).update(
                created_at=entries[0].at, state_changed_at=moved[-1] if moved else entries[0].at
            )
        for review in reviews:
            mine = [
                e.at
                for e in entries
                if (e.content_type_id == kinds[GateReview].pk and e.object_id == review.pk)
                or (e.changes or {}).get("review") == [None, review.pk]
            ]
            if mine:
                GateReview.objects.filter(pk=review.pk).update(
                    created_at=mine[0], decided_at=mine[-1] if review.decided_at else None
                )
