"""REST resources of preventive services under /api/v1/: readings, plans, offers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from servicegate.api.pagination import Pagination
from servicegate.catalog.models import ServiceProduct
from servicegate.core.permissions import has_capability
from servicegate.maintenance import selectors, services
from servicegate.maintenance.errors import MaintenanceRefused
from servicegate.maintenance.models import Component, LifeEvent, PreventivePlan, Reading
from servicegate.maintenance.offers import Offer, customer_offers
from servicegate.operations.models import Asset, Customer, Ticket

router = Router(tags=["maintenance"])


def _require_read(request: HttpRequest) -> None:
    if not has_capability(request.user, "view_servicegate"):
        raise PermissionDenied(_("Your role does not allow reading preventive services."))


class ReadingIn(Schema):
    counter: str
    value: float
    at: datetime | None = None


class ReadingOut(Schema):
    id: int
    asset_id: int
    counter: str
    value: float
    at: datetime

    @staticmethod
    def resolve_asset_id(obj: Reading) -> int:
        return obj.counter.asset_id

    @staticmethod
    def resolve_counter(obj: Reading) -> str:
        return obj.counter.name


@router.post("/assets/{asset_id}/readings", response={201: ReadingOut})
def record_reading(request: HttpRequest, asset_id: int, data: ReadingIn) -> Status[Reading]:
    """Record a counter reading; unknown counters and values going backwards are refused
    (422), and plans with usage or condition triggers on the counter follow at once."""
    asset = Asset.objects.filter(pk=asset_id).first()
    if not has_capability(request.user, "manage_installed_base"):
        raise MaintenanceRefused(
            _("Your role does not allow recording readings; ask a dispatcher or service manager."),
            status=403,
        )
    if asset is None:
        raise MaintenanceRefused(_("There is no asset %(id)s.") % {"id": asset_id}, status=404)
    reading = services.reading_record(
        by=request.user, asset=asset, counter=data.counter, value=data.value, at=data.at
    )
    return Status(201, reading)


class LifeEventIn(Schema):
    component: str
    kind: str = "failure"
    at: datetime | None = None
    ticket: int | None = None


class LifeEventOut(Schema):
    id: int
    asset_id: int
    component: str
    kind: str
    at: datetime
    ticket_id: int | None

    @staticmethod
    def resolve_component(obj: LifeEvent) -> str:
        return obj.component.name


@router.post("/assets/{asset_id}/life-events", response={201: LifeEventOut})
def record_life_event(request: HttpRequest, asset_id: int, data: LifeEventIn) -> Status[LifeEvent]:
    """Record that a component of the asset failed (``kind=failure``, optionally with the
    ``ticket`` that reported it; ``at`` defaults to the ticket's opening, else now) or was
    replaced before failing (``replacement``). These lives feed the reliability fits."""
    if not has_capability(request.user, "manage_installed_base"):
        raise MaintenanceRefused(_("Your role does not allow recording failures."), status=403)
    asset = _get(Asset, asset_id, _("asset"))
    component = (
        Component.objects.filter(asset_model__name=asset.product_model, name=data.component)
        .select_related("asset_model")
        .first()
    )
    if component is None:
        names = ", ".join(
            Component.objects.filter(asset_model__name=asset.product_model).values_list(
                "name", flat=True
            )
        ) or _("none")
        raise MaintenanceRefused(
            _("%(model)s has no component %(name)r; its components are: %(names)s.")
            % {"model": asset.product_model, "name": data.component, "names": names}
        )
    ticket = _get(Ticket, data.ticket, _("ticket")) if data.ticket is not None else None
    at = data.at or (ticket.opened_at if ticket is not None else timezone.now())
    event = services.life_event_record(
        by=request.user, asset=asset, component=component, at=at, kind=data.kind, ticket=ticket
    )
    return Status(201, event)


class TriggerIn(Schema):
    kind: str
    every: float | None = None
    counter: str = ""
    threshold: float | None = None


class PlanIn(Schema):
    customer: int
    offer: str = ""
    product: int | None = None
    assets: list[int] | None = None
    starts_on: date
    months: int = 12
    triggers: list[TriggerIn] = []


class TriggerOut(Schema):
    id: int
    kind: str
    every: float | None
    counter: str
    threshold: float | None


class PlanOut(Schema):
    id: int
    customer_id: int
    product_id: int
    asset_ids: list[int]
    starts_on: date
    ends_on: date
    months: int
    work_kind: str
    duration_minutes: int
    status: str
    triggers: list[TriggerOut]
    work_orders: int
    offer: dict[str, Any]

    @staticmethod
    def resolve_asset_ids(obj: PreventivePlan) -> list[int]:
        return [a.pk for a in obj.assets.all()]

    @staticmethod
    def resolve_triggers(obj: PreventivePlan) -> list[Any]:
        return list(obj.triggers.all())

    @staticmethod
    def resolve_work_orders(obj: PreventivePlan) -> int:
        return int(getattr(obj, "work_order_count", None) or obj.work_orders.count())


def _get(model: Any, pk: int | None, what: str) -> Any:
    found = model.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise MaintenanceRefused(
            _("There is no %(what)s %(id)s.") % {"what": what, "id": pk}, status=404
        )
    return found


@router.post("/preventive/plans", response={201: PlanOut})
def create_plan(request: HttpRequest, data: PlanIn) -> Status[PreventivePlan]:
    """Sell a preventive plan: an accepted ``offer`` (its id from the offers list) or a
    ``product`` for the customer's ``assets`` (default: all of the product's asset model);
    its work orders are opened at once (list them with ``/tickets/?plan=ID``)."""
    if not has_capability(request.user, "sell_preventive"):
        raise MaintenanceRefused(
            _("Your role does not allow selling preventive services."), status=403
        )
    customer = _get(Customer, data.customer, _("customer"))
    assets = None
    if data.assets is not None:
        assets = list(Asset.objects.select_related("site").filter(pk__in=data.assets))
        if len(assets) != len(set(data.assets)):
            raise MaintenanceRefused(_("Some of the assets do not exist; pick the customer's."))
    if data.offer:
        plan = services.offer_accept(
            by=request.user,
            customer=customer,
            offer_id=data.offer,
            starts_on=data.starts_on,
            months=data.months,
            assets=assets,
        )
        return Status(201, selectors.plan_list().get(pk=plan.pk))
    if data.product is None:
        raise MaintenanceRefused(_("Name the offer or the product the plan sells."))
    product = _get(ServiceProduct, data.product, _("service product"))
    plan = services.plan_create(
        by=request.user,
        customer=customer,
        product=product,
        starts_on=data.starts_on,
        months=data.months,
        assets=assets,
        triggers=[t.dict() for t in data.triggers],
    )
    return Status(201, selectors.plan_list().get(pk=plan.pk))


@router.get("/preventive/plans", response=list[PlanOut])
@paginate(Pagination)
def list_plans(request: HttpRequest, customer: int | None = None) -> QuerySet[PreventivePlan]:
    """Preventive plans, newest first, optionally of one customer."""
    _require_read(request)
    plans = selectors.plan_list()
    return plans.filter(customer_id=customer) if customer else plans


@router.get("/preventive/plans/{plan_id}", response=PlanOut)
def get_plan(request: HttpRequest, plan_id: int) -> PreventivePlan:
    """One preventive plan with its triggers."""
    _require_read(request)
    plan = selectors.plan_list().filter(pk=plan_id).first()
    if plan is None:
        raise MaintenanceRefused(
            _("There is no preventive plan %(id)s.") % {"id": plan_id}, status=404
        )
    return plan


class OfferOut(Schema):
    id: str
    product: int
    product_name: str
    customer: int
    assets: list[int]
    interval_days: int
    expected_incidents_without: float
    expected_incidents_with: float
    incidents_avoided: float
    downtime_hours_avoided: float
    technician_hours_per_year: float
    price: float
    margin: float
    currency: str
    notes: list[str]


@router.get("/preventive/offers", response=list[OfferOut])
def list_offers(request: HttpRequest, customer: int) -> list[Offer]:
    """The preventive services that fit the customer's installed base over 12 months,
    most incidents avoided first (see docs/preventive.md for the formulas)."""
    if not has_capability(request.user, "sell_preventive"):
        raise MaintenanceRefused(
            _("Your role does not allow reading offers; ask Sales or the service manager."),
            status=403,
        )
    found = _get(Customer, customer, _("customer"))
    return customer_offers(found, now=timezone.now())
