"""Reads of the operations area: who sees which tickets, list pages, the overview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Count, F, Prefetch, Q, QuerySet

from servicegate.core.permissions import has_capability
from servicegate.operations.choices import (
    KIND_ALIASES,
    STOP_STATUSES,
    Channel,
    Priority,
    TicketKind,
    TicketStatus,
)
from servicegate.operations.models import (
    Asset,
    Customer,
    ImportRun,
    Site,
    Ticket,
    TicketChange,
    TicketEvent,
)

User = AuthUser | AnonymousUser
FILTERS = ("number", "kind", "status", "priority", "channel", "customer", "source", "plan")
# Above every character: ``number < prefix + LAST`` bounds a prefix search.
LAST = "\U0010ffff"


def sees_own_tickets_only(user: User) -> bool:
    """Technicians (work_tickets without dispatch) see only tickets assigned to them."""
    return has_capability(user, "work_tickets") and not has_capability(user, "dispatch")


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    """Every ticket ``user`` may read; none without ``view_servicegate``."""
    if not has_capability(user, "view_servicegate"):
        return Ticket.objects.none()
    tickets = Ticket.objects.all()
    if sees_own_tickets_only(user):
        # Only an authenticated user holds a capability, so the pk is set.
        tickets = tickets.filter(technician__user_id=user.pk or 0)
    return tickets


def ticket_list(user: User, filters: dict[str, Any]) -> QuerySet[Ticket]:
    """Visible tickets matching ``filters`` (unknown or empty values are ignored).

    Newest first, with customer and technician joined, so a page is one query.
    """
    tickets = tickets_visible_to(user).select_related("customer", "technician")
    choices = {
        "kind": TicketKind.values,
        "status": TicketStatus.values,
        "priority": Priority.values,
        "channel": Channel.values,
    }
    for key, allowed in choices.items():
        value = filters.get(key)
        if key == "kind":  # the API's names for preventive kinds ("preventive", …)
            value = KIND_ALIASES.get(str(value), value)
        if value and value in allowed:
            tickets = tickets.filter(**{key: value})
    customer = filters.get("customer")
    if customer and str(customer).isdigit():
        tickets = tickets.filter(customer_id=int(customer))
    source = filters.get("source")
    if source:
        tickets = tickets.filter(source=source)
    plan = filters.get("plan")
    if plan and str(plan).isdigit():  # the work orders of a preventive plan (maintenance)
        tickets = tickets.filter(plan_link__plan_id=int(plan))
    number = str(filters.get("number") or "").strip()
    if number:
        # a prefix as a range, so that ticket_number_idx serves it on every database
        # (LIKE cannot use it on SQLite); the upper-case form too ("inc00" finds INC00…)
        prefixes = {number, number.upper()}
        match = Q()
        for prefix in prefixes:
            match |= Q(number__gte=prefix, number__lt=prefix + LAST)
        tickets = tickets.filter(match)
    return tickets.order_by("-opened_at", "-id")


def ticket_detail(user: User, ticket_id: int) -> Ticket | None:
    """The ticket with its events in clock order, or None if ``user`` may not see it."""
    events = TicketEvent.objects.select_related("technician").order_by("at", "seq")
    return (
        tickets_visible_to(user)
        .select_related("customer", "asset__site", "technician")
        .prefetch_related(Prefetch("events", queryset=events))
        .filter(pk=ticket_id)
        .first()
    )


@dataclass(frozen=True)
class Page:
    """One page of a list without counting the whole table: ``has_next`` from one extra row."""

    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(queryset: QuerySet[Any], number: int, size: int) -> Page:
    """Page ``number`` (from 1) of ``queryset``; one query, no COUNT(*)."""
    number = max(1, number)
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(items=rows[:size], number=number, has_next=len(rows) > size)


def ticket_sources() -> list[str]:
    """The sources tickets came from (for the filter), from the import records."""
    sources = set(ImportRun.objects.values_list("source", flat=True).distinct())
    sources.add("servicegate")
    return sorted(sources)


@dataclass(frozen=True)
class Overview:
    """Figures and latest imports for the operations overview."""

    customers: int
    sites: int
    assets: int
    tickets: int
    open_tickets: int
    latest_imports: list[ImportRun]


def operations_overview(user: User) -> Overview:
    """Counts of the installed base and of the tickets ``user`` sees, and the latest imports."""
    tickets = tickets_visible_to(user)
    open_statuses = [
        s
        for s in TicketStatus.values
        if s not in {TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CANCELLED}
    ]
    return Overview(
        customers=Customer.objects.count(),
        sites=Site.objects.count(),
        assets=Asset.objects.count(),
        tickets=tickets.count(),
        open_tickets=tickets.filter(status__in=open_statuses).count(),
        latest_imports=list(ImportRun.objects.select_related("created_by")[:10]),
    )


def customer_list() -> QuerySet[Customer]:
    """Customers with their segment and number of sites."""
    return Customer.objects.select_related("segment").annotate(site_count=Count("sites"))


def customer_detail(customer_id: int) -> Customer | None:
    """A customer with its sites and their asset counts."""
    sites = Site.objects.annotate(asset_count=Count("assets")).order_by("name")
    return (
        Customer.objects.select_related("segment")
        .prefetch_related(Prefetch("sites", queryset=sites))
        .filter(pk=customer_id)
        .first()
    )


def site_detail(site_id: int) -> Site | None:
    """A site with its assets."""
    return (
        Site.objects.select_related("customer")
        .prefetch_related(Prefetch("assets", queryset=Asset.objects.order_by("product_model")))
        .filter(pk=site_id)
        .first()
    )


def asset_list() -> QuerySet[Asset]:
    """Assets with site and customer joined."""
    return Asset.objects.select_related("site__customer").order_by("id")


def open_tickets() -> QuerySet[Ticket]:
    """Tickets neither resolved, closed nor cancelled, with customer, asset and technician."""
    return Ticket.objects.exclude(status__in=sorted(STOP_STATUSES)).select_related(
        "customer", "asset", "technician"
    )


def dispatch_queue() -> QuerySet[Ticket]:
    """The dispatcher's queue: open tickets, unassigned first, then by priority and age."""
    return open_tickets().order_by(
        F("technician_id").asc(nulls_first=True), "priority", "opened_at", "id"
    )


def my_work(user: User) -> QuerySet[Ticket]:
    """The open tickets assigned to ``user``, by priority and age."""
    return (
        open_tickets()
        .filter(technician__user_id=user.pk or 0)
        .order_by("priority", "opened_at", "id")
    )


def ticket_changes(ticket: Ticket) -> QuerySet[TicketChange]:
    """The writes made to ``ticket`` in Servicegate, oldest first."""
    return ticket.changes.select_related("by").order_by("at", "id")
