"""Writes of preventive services: reliability data, readings, plans and their work orders.

Every function is keyword-only, takes ``by`` (who acts), checks the capability first
and runs in one transaction. Work orders are operations tickets, opened through
``operations.ticket_services.work_order_create`` and linked to the plan occurrence
that ordered them (:class:`PlanWorkOrder`), which makes ordering idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.catalog.models import ServiceProduct
from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import has_capability
from servicegate.maintenance.choices import LifeEventKind, PlanStatus, TriggerKind, WorkKind
from servicegate.maintenance.errors import MaintenanceRefused
from servicegate.maintenance.models import (
    AssetModel,
    Component,
    Counter,
    LifeEvent,
    PlanWorkOrder,
    PreventivePlan,
    PreventiveTerms,
    Reading,
    Trigger,
)
from servicegate.maintenance.offers import customer_offers
from servicegate.maintenance.remaining_life import covered_fits, dues
from servicegate.operations.choices import Channel
from servicegate.operations.errors import TicketRefused
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.operations.ticket_services import work_order_create

#: How far ahead usage triggers order work from the projected counter (days).
HORIZON_DAYS = 90
#: How far ahead of the server's clock a reading may be dated.
FUTURE_SLACK = timedelta(minutes=5)
#: The source of the work orders plans open (their external ids name plan and occurrence).
WORK_ORDER_SOURCE = "preventive"
MAX_MONTHS = 60


def _require(by: Actor, capability: str, sentence: str) -> None:
    if not has_capability(by, capability):
        raise MaintenanceRefused(sentence, status=403)


# --- Reliability data -------------------------------------------------------------


def asset_model_ensure(*, by: Actor, name: str, description: str = "") -> AssetModel:
    """The asset model called ``name``, created if new (``manage_installed_base``)."""
    _require(by, "manage_installed_base", _("Your role does not allow changing asset models."))
    if not name.strip():
        raise MaintenanceRefused(_("The asset model needs a name, as on the assets."))
    model, _created = AssetModel.objects.get_or_create(
        name=name.strip(), defaults={"description": description}
    )
    return model


def component_ensure(*, by: Actor, asset_model: AssetModel, name: str, **fields: Any) -> Component:
    """The component ``name`` of ``asset_model``, created with ``fields`` if new."""
    _require(by, "manage_installed_base", _("Your role does not allow changing components."))
    with transaction.atomic():
        component, created = Component.objects.get_or_create(
            asset_model=asset_model, name=name.strip(), defaults=fields
        )
        if created:
            component.full_clean()
    return component


def life_event_record(
    *,
    by: Actor,
    asset: Asset,
    component: Component,
    at: datetime,
    kind: str,
    ticket: Ticket | None = None,
) -> LifeEvent:
    """Record that ``component`` of ``asset`` failed or was replaced before failing,
    optionally with the (reactive) ticket that reported the failure; idempotent."""
    _require(by, "manage_installed_base", _("Your role does not allow recording failures."))
    if kind not in LifeEventKind.values:
        raise MaintenanceRefused(
            _("%(kind)r is no life event; use failure or replacement.") % {"kind": kind}
        )
    if component.asset_model.name != asset.product_model:
        raise MaintenanceRefused(
            _("%(component)s is no part of %(model)s; pick a component of the asset's model.")
            % {"component": component, "model": asset.product_model}
        )
    if ticket is not None and ticket.asset_id != asset.pk:
        raise MaintenanceRefused(
            _("Ticket %(number)s is about another asset; name the ticket of this failure.")
            % {"number": ticket.number}
        )
    if at > timezone.now() + FUTURE_SLACK:
        raise MaintenanceRefused(
            _("%(at)s lies in the future; send the time it happened.") % {"at": at.isoformat()}
        )
    with transaction.atomic():
        event, _created = LifeEvent.objects.get_or_create(
            asset=asset, component=component, at=at, kind=kind, defaults={"ticket": ticket}
        )
    return event


def life_events_record(
    *, by: Actor, events: Sequence[tuple[Asset, Component, datetime, str]]
) -> int:
    """Record many ``(asset, component, at, kind)`` life events at once (a history
    taken over, the demo); events already recorded are skipped. Returns how many."""
    _require(by, "manage_installed_base", _("Your role does not allow recording failures."))
    rows = [
        LifeEvent(asset=asset, component=component, at=at, kind=kind)
        for asset, component, at, kind in events
    ]
    for row in rows:
        if row.kind not in LifeEventKind.values:
            raise MaintenanceRefused(
                _("%(kind)r is no life event; use failure or replacement.") % {"kind": row.kind}
            )
    with transaction.atomic():
        before = LifeEvent.objects.count()
        LifeEvent.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        return LifeEvent.objects.count() - before


def terms_set(
    *,
    by: Actor,
    product: ServiceProduct,
    asset_model: AssetModel,
    interval_days: int,
    components: Iterable[Component] = (),
    skill_ids: Iterable[int] = (),
    **fields: Any,
) -> PreventiveTerms:
    """Say what the preventive ``product`` does (``manage_catalog``): the asset model and
    components it covers, its default interval, the work kind and duration of a visit."""
    _require(by, "manage_catalog", _("Your role does not allow changing the catalogue."))
    with transaction.atomic():
        terms, _created = PreventiveTerms.objects.update_or_create(
            product=product,
            defaults={"asset_model": asset_model, "interval_days": interval_days, **fields},
        )
        terms.full_clean()
        terms.components.set(list(components))
        terms.required_skills.set(list(skill_ids))
    return terms


# --- Counters and readings ----------------------------------------------------------


def counter_create(
    *, by: Actor, asset: Asset, name: str, unit: str = "", monotonic: bool = True
) -> Counter:
    """Give ``asset`` a counter (operating hours, cycles) or a condition reading."""
    _require(by, "manage_installed_base", _("Your role does not allow adding counters."))
    if not name.strip():
        raise MaintenanceRefused(_("The counter needs a name, for example operating_hours."))
    counter, _created = Counter.objects.get_or_create(
        asset=asset, name=name.strip(), defaults={"unit": unit, "monotonic": monotonic}
    )
    return counter


def reading_record(
    *, by: Actor, asset: Asset, counter: str, value: float, at: datetime | None = None
) -> Reading:
    """Record a counter reading of ``asset``; plans of the asset follow it at once.

    Refused (422): an unknown counter, a naive or future time, a time before the latest
    reading, and a value below the latest one on a counter that only grows.
    """
    _require(
        by,
        "manage_installed_base",
        _("Your role does not allow recording readings; ask a dispatcher or service manager."),
    )
    now = timezone.now()
    at = at or now
    if timezone.is_naive(at):
        raise MaintenanceRefused(_("Give the time with its offset, for example 2026-03-01T09:00Z."))
    if at > now + FUTURE_SLACK:
        raise MaintenanceRefused(
            _("%(at)s lies in the future; send the time the value was read.")
            % {"at": at.isoformat()}
        )
    with transaction.atomic():
        found = Counter.objects.select_for_update().filter(asset=asset, name=counter).first()
        if found is None:
            names = ", ".join(asset.counters.values_list("name", flat=True)) or _("none")
            raise MaintenanceRefused(
                _("Asset %(asset)s has no counter %(name)r; its counters are: %(names)s.")
                % {"asset": asset, "name": counter, "names": names}
            )
        previous = found.last_value
        if found.last_at is not None and at < found.last_at:
            raise MaintenanceRefused(
                _(
                    "The counter %(name)s has a reading at %(last)s, later than %(at)s;"
                    " send readings in time order."
                )
                % {"name": found.name, "last": found.last_at.isoformat(), "at": at.isoformat()}
            )
        if found.monotonic and previous is not None and value < previous:
            raise MaintenanceRefused(
                _(
                    "The counter %(name)s only grows: %(value)s is below its last reading"
                    " %(last)s; check the value."
                )
                % {"name": found.name, "value": value, "last": previous}
            )
        reading = Reading.objects.create(counter=found, value=value, at=at, recorded_by=as_user(by))
        found.last_value, found.last_at = value, at
        found.save(update_fields=["last_value", "last_at"])
        _follow_reading(by=by, counter=found, reading=reading, previous=previous)
    return reading


def _follow_reading(
    *, by: Actor, counter: Counter, reading: Reading, previous: float | None
) -> None:
    """Order the work a reading calls for: a condition crossing its threshold, or a
    usage counter passing a multiple that no work order covers yet."""
    triggers = Trigger.objects.filter(
        plan__status=PlanStatus.ACTIVE,
        plan__assets=counter.asset,
        counter=counter.name,
        kind__in=[TriggerKind.CONDITION, TriggerKind.USAGE],
    ).select_related("plan")
    today = reading.at.date()
    for trigger in triggers:
        plan = trigger.plan
        if not plan.starts_on <= today < plan.ends_on:
            continue
        if trigger.kind == TriggerKind.CONDITION:
            threshold = trigger.threshold or 0.0
            crossed = reading.value >= threshold and (previous is None or previous < threshold)
            wanted = [Occurrence(f"c{reading.pk}", today)] if crossed else []
        else:
            every = trigger.every or 1.0
            k = int(reading.value // every)
            passed = previous is None or previous < k * every
            wanted = [Occurrence(f"u{k}", today)] if k >= 1 and passed else []
        _order(by=by, plan=plan, trigger=trigger, asset=counter.asset, wanted=wanted)


# --- Plans and their work orders ----------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One visit a trigger asks for: its key within the trigger and asset, and its day."""

    key: str
    due_on: date


def plan_create(
    *,
    by: Actor,
    customer: Customer,
    product: ServiceProduct,
    starts_on: date,
    months: int = 12,
    assets: Sequence[Asset] | None = None,
    interval_days: int | None = None,
    triggers: Sequence[dict[str, Any]] = (),
    offer: dict[str, Any] | None = None,
) -> PreventivePlan:
    """Sell ``product`` to ``customer`` as a plan (``sell_preventive``) and order its work.

    ``assets`` default to the customer's assets of the product's asset model; a time
    trigger every ``interval_days`` (default the product's) is added unless
    ``triggers`` (dicts of kind, every, counter, threshold) say otherwise.
    """
    _require(by, "sell_preventive", _("Your role does not allow selling preventive services."))
    terms = PreventiveTerms.objects.filter(product=product).select_related("asset_model").first()
    if terms is None:
        raise MaintenanceRefused(
            _("%(product)s is no preventive service product; pick one with preventive terms.")
            % {"product": product}
        )
    if not 1 <= months <= MAX_MONTHS:
        raise MaintenanceRefused(_("A plan runs 1 to 60 months; give months in that range."))
    chosen = _plan_assets(customer, terms, assets)
    specs = list(triggers) or [
        {"kind": TriggerKind.TIME, "every": interval_days or terms.interval_days}
    ]
    for spec in specs:
        _check_trigger(spec)
    with transaction.atomic():
        plan = PreventivePlan.objects.create(
            customer=customer,
            product=product,
            starts_on=starts_on,
            months=months,
            work_kind=terms.work_kind,
            duration_minutes=terms.duration_minutes,
            window_days=terms.window_days,
            offer=offer or {},
            created_by=as_user(by),
        )
        plan.assets.set(chosen)
        plan.required_skills.set(terms.required_skills.all())
        for spec in specs:
            Trigger.objects.create(
                plan=plan,
                kind=spec["kind"],
                every=spec.get("every"),
                counter=spec.get("counter") or "",
                threshold=spec.get("threshold"),
            )
        plan_generate(plan=plan, by=by)
    return plan


def _plan_assets(
    customer: Customer, terms: PreventiveTerms, assets: Sequence[Asset] | None
) -> list[Asset]:
    model = terms.asset_model.name
    if assets is None:
        chosen = list(Asset.objects.filter(site__customer=customer, product_model=model))
    else:
        chosen = list(assets)
        for asset in chosen:
            if asset.site.customer_id != customer.pk or asset.product_model != model:
                raise MaintenanceRefused(
                    _("Asset %(asset)s is no %(model)s of %(customer)s; pick the customer's.")
                    % {"asset": asset, "model": model, "customer": customer.name}
                )
    if not chosen:
        raise MaintenanceRefused(
            _("%(customer)s has no %(model)s; the plan needs at least one asset.")
            % {"customer": customer.name, "model": model}
        )
    return chosen


def _check_trigger(spec: dict[str, Any]) -> None:
    kind = spec.get("kind")
    if kind not in TriggerKind.values:
        raise MaintenanceRefused(
            _("%(kind)r is no trigger; use time, usage or condition.") % {"kind": kind}
        )
    if kind in (TriggerKind.TIME, TriggerKind.USAGE) and not (spec.get("every") or 0) > 0:
        raise MaintenanceRefused(_("A time or usage trigger needs a positive 'every'."))
    if kind in (TriggerKind.USAGE, TriggerKind.CONDITION) and not spec.get("counter"):
        raise MaintenanceRefused(_("A usage or condition trigger names its counter."))
    if kind == TriggerKind.CONDITION and spec.get("threshold") is None:
        raise MaintenanceRefused(_("A condition trigger needs a threshold."))
    if kind == TriggerKind.REMAINING_LIFE and not (spec.get("threshold") or 0) > 0:
        raise MaintenanceRefused(
            _(
                "A remaining-life trigger needs a threshold: the days of life left that"
                " call a visit."
            )
        )


def plan_generate(
    *, plan: PreventivePlan, by: Actor, today: date | None = None, horizon_days: int = HORIZON_DAYS
) -> int:
    """Order the plan's work ahead; returns how many work orders were opened.

    Time triggers order every visit of the plan's period at once (the dates are known);
    usage triggers order the visits the counter's rate projects within ``horizon_days``,
    remaining-life triggers the parts whose expected remaining life drops below their
    threshold within it.
    Occurrences already ordered are skipped, so running it again orders nothing twice.
    """
    _require(by, "sell_preventive", _("Your role does not allow ordering preventive work."))
    today = today or timezone.localdate()
    if plan.status != PlanStatus.ACTIVE:
        return 0
    assets = list(plan.assets.all())
    created = 0
    for trigger in plan.triggers.all():
        if trigger.kind == TriggerKind.REMAINING_LIFE:
            created += _order_remaining_life(
                by=by,
                plan=plan,
                trigger=trigger,
                assets=assets,
                today=today,
                horizon_days=horizon_days,
            )
            continue
        for asset in assets:
            wanted = _occurrences(plan, trigger, asset, today, horizon_days)
            created += _order(by=by, plan=plan, trigger=trigger, asset=asset, wanted=wanted)
    return created


@dataclass(frozen=True)
class OrderRun:
    """What a run over all plans did: plans looked at, work orders opened, plans ended,
    and the plans whose seller may no longer order (with the sentence)."""

    plans: int
    work_orders: int
    ended: int
    refused: list[tuple[PreventivePlan, str]]


def plans_order(*, today: date, horizon_days: int = HORIZON_DAYS) -> OrderRun:
    """Order ahead for every active plan, in the name of who sold it (a plan orders its
    own visits), and end the plans whose period is over. Run daily; idempotent."""
    active = PreventivePlan.objects.filter(status=PlanStatus.ACTIVE).select_related(
        "created_by", "product", "customer"
    )
    opened = ended = 0
    refused: list[tuple[PreventivePlan, str]] = []
    plans = list(active)
    for plan in plans:
        if plan.ends_on <= today:
            PreventivePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.ENDED)
            ended += 1
            continue
        try:
            opened += plan_generate(
                plan=plan, by=plan.created_by, today=today, horizon_days=horizon_days
            )
        except TicketRefused as error:
            refused.append((plan, str(error)))
    return OrderRun(plans=len(plans), work_orders=opened, ended=ended, refused=refused)


def _order_remaining_life(
    *,
    by: Actor,
    plan: PreventivePlan,
    trigger: Trigger,
    assets: list[Asset],
    today: date,
    horizon_days: int,
) -> int:
    """Order a visit for each covered wear part whose median remaining life drops below
    ``threshold`` days within the horizon (once per part's life)."""
    now = timezone.now()
    fits = covered_fits(plan, now=now)
    end = min(plan.ends_on, today + timedelta(days=horizon_days))
    created = 0
    for asset in assets:
        wanted = [
            Occurrence(f"r{d.component.pk}-{d.life}", max(d.due_on, plan.starts_on))
            for d in dues(asset, fits, threshold=trigger.threshold or 0.0, now=now)
            if d.due_on < end
        ]
        created += _order(by=by, plan=plan, trigger=trigger, asset=asset, wanted=wanted)
    return created


def _occurrences(
    plan: PreventivePlan, trigger: Trigger, asset: Asset, today: date, horizon_days: int
) -> list[Occurrence]:
    if trigger.kind == TriggerKind.TIME:
        every = int(trigger.every or 1)
        days = range(0, (plan.ends_on - plan.starts_on).days, every)
        return [Occurrence(f"t{i}", plan.starts_on + timedelta(days=d)) for i, d in enumerate(days)]
    if trigger.kind == TriggerKind.USAGE:
        return _usage_occurrences(plan, trigger, asset, today, horizon_days)
    return []  # condition triggers order work when a reading crosses the threshold


def _usage_occurrences(
    plan: PreventivePlan, trigger: Trigger, asset: Asset, today: date, horizon_days: int
) -> list[Occurrence]:
    """The multiples of ``every`` the counter reaches within the horizon, at its mean rate
    since the first reading (none with fewer than two readings or no growth)."""
    counter = Counter.objects.filter(asset=asset, name=trigger.counter).first()
    if counter is None or counter.last_value is None or counter.last_at is None:
        return []
    first = counter.readings.order_by("at", "id").first()
    if first is None or first.at >= counter.last_at:
        return []
    days = (counter.last_at - first.at).total_seconds() / 86400
    rate = (counter.last_value - first.value) / days
    if rate <= 0:
        return []
    every = trigger.every or 1.0
    end = min(plan.ends_on, today + timedelta(days=horizon_days))
    result: list[Occurrence] = []
    k = int(counter.last_value // every) + 1
    while True:
        due = counter.last_at.date() + timedelta(days=(k * every - counter.last_value) / rate)
        if due >= end:
            return result
        result.append(Occurrence(f"u{k}", max(due, plan.starts_on)))
        k += 1


def _order(
    *, by: Actor, plan: PreventivePlan, trigger: Trigger, asset: Asset, wanted: list[Occurrence]
) -> int:
    """Open a work order for each wanted occurrence not yet ordered; returns the count."""
    if not wanted:
        return 0
    done = set(
        PlanWorkOrder.objects.filter(trigger=trigger, asset=asset).values_list(
            "occurrence", flat=True
        )
    )
    skills = [s.pk for s in plan.required_skills.all()]
    label = dict(WorkKind.choices)[plan.work_kind]
    created = 0
    for occurrence in wanted:
        if occurrence.key in done:
            continue
        pad = timedelta(days=plan.window_days)
        start = datetime.combine(occurrence.due_on, time.min, tzinfo=UTC)
        ticket = work_order_create(
            by=by,
            title=f"{label}: {plan.product.name} – {asset}"[:200],
            customer_id=plan.customer_id,
            asset_id=asset.pk,
            kind=plan.work_kind,
            channel=Channel.REMOTE if plan.work_kind == WorkKind.REMOTE_CHECK else Channel.ON_SITE,
            window_start=start - pad if trigger.kind != TriggerKind.CONDITION else start,
            window_end=start + pad + timedelta(days=1),
            duration_minutes=plan.duration_minutes,
            skill_ids=skills,
            source=WORK_ORDER_SOURCE,
            external_id=f"PM-{plan.pk}-{trigger.pk}-{asset.pk}-{occurrence.key}",
        )
        PlanWorkOrder.objects.create(
            plan=plan,
            trigger=trigger,
            asset=asset,
            occurrence=occurrence.key,
            due_on=occurrence.due_on,
            ticket=ticket,
        )
        created += 1
    return created


def offer_accept(
    *,
    by: Actor,
    customer: Customer,
    offer_id: str,
    starts_on: date,
    months: int = 12,
    assets: Sequence[Asset] | None = None,
    now: datetime | None = None,
) -> PreventivePlan:
    """Accept one of ``customer``'s offers (``sell_preventive``): the plan is created with
    the offer's interval and assets, and keeps its figures as accepted."""
    _require(by, "sell_preventive", _("Your role does not allow selling preventive services."))
    offers = {o.id: o for o in customer_offers(customer, now=now or timezone.now())}
    offer = offers.get(offer_id)
    if offer is None:
        raise MaintenanceRefused(
            _("%(customer)s has no offer %(id)s; pick one from the customer's offers.")
            % {"customer": customer.name, "id": offer_id},
            status=404,
        )
    product = ServiceProduct.objects.get(pk=offer.product)
    return plan_create(
        by=by,
        customer=customer,
        product=product,
        starts_on=starts_on,
        months=months,
        assets=assets,
        interval_days=offer.interval_days,
        offer=offer.as_dict(),
    )
