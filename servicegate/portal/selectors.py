"""Reads of the customer portal: always of one customer, never of another.

Every read takes the customer (from :func:`customer_of`) and filters by it, so an id of
another customer's object finds nothing (the pages and the API answer 404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicegate.measurement.choices import OPEN_STATES, ClockState
from servicegate.measurement.models import Clock
from servicegate.measurement.rules import MEASURED_STATES
from servicegate.measurement.selectors import Attainment, attainment_of, customer_attainment
from servicegate.operations.choices import PREVENTIVE_KINDS, STOP_STATUSES
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.portal.choices import Trend
from servicegate.portal.models import CustomerContact, Feedback, Invitation, OfferRequest
from servicegate.promises.models import Promise


def is_portal_user(user: User | AnonymousUser) -> bool:
    """Whether ``user`` is a customer contact (``use_portal``), not staff or a superuser."""
    return bool(
        user.is_authenticated and not user.is_superuser and user.has_perm("accounts.use_portal")
    )


def customer_of(user: User | AnonymousUser) -> Customer | None:
    """The one customer organisation ``user`` is a contact of, or None."""
    if not user.is_authenticated:
        return None
    contact = CustomerContact.objects.select_related("customer").filter(user_id=user.pk).first()
    return contact.customer if contact is not None else None


def promises_for(customer: Customer) -> list[Promise]:
    """The measured promises whose scope covers ``customer``: its contracts, itself, the
    products of its active contracts, or its segment (as ``measurement.applicability``)."""
    products = customer.contracts.filter(is_active=True).values("products")
    general = Q(contract__isnull=True, customer__isnull=True) & (
        Q(product__in=products) | Q(segment_id=customer.segment_id)
    )
    scope = Q(contract__customer=customer) | Q(contract__isnull=True, customer=customer) | general
    return list(
        Promise.objects.filter(scope, state__in=MEASURED_STATES)
        .select_related("product")
        .order_by("metric", "priority", "pk")
    )


#: How each clocked metric reads to a customer: what happens to their tickets.
PLAIN_METRICS = {
    "first_response": gettext_lazy("%(pct)s of %(which)s answered within %(target)s"),
    "resolution": gettext_lazy("%(pct)s of %(which)s resolved within %(target)s"),
    "onsite_arrival": gettext_lazy(
        "%(pct)s of %(which)s with a technician on site within %(target)s"
    ),
    "update_interval": gettext_lazy("%(pct)s of %(which)s updated at least every %(target)s"),
}


def plain_statement(promise: Promise) -> str:
    """The promise as a customer reads it: "95 % of your P2 tickets answered within 4
    business hours"; metrics without a plain sentence keep the promise's statement."""
    sentence = PLAIN_METRICS.get(promise.metric)
    if sentence is None or promise.custom_metric:
        return promise.statement
    which = (
        _("your %(priority)s tickets") % {"priority": promise.priority}
        if promise.priority
        else _("your tickets")
    )
    pct = f"{number_format(promise.attainment_percent.normalize())} %"
    return str(sentence) % {"pct": pct, "which": which, "target": promise.target_text}


@dataclass(frozen=True)
class PromiseRow:
    """One promise as the customer sees it: the statement and its attainment for them."""

    promise: Promise
    statement: str
    attainment: Attainment
    periods: list[Attainment]
    trend: str


def trend_of(periods: list[Attainment]) -> str:
    """Up, down or flat: the last period with decided clocks against the one before."""
    rates = [p.rate for p in periods if p.rate is not None]
    if len(rates) < 2:
        return Trend.UNKNOWN
    if abs(rates[-1] - rates[-2]) < 0.01:
        return Trend.FLAT
    return Trend.UP if rates[-1] > rates[-2] else Trend.DOWN


def promise_rows(customer: Customer, *, last: int = 6) -> list[PromiseRow]:
    """The customer's promises with its own attainment over all time and per month."""
    promises = promises_for(customer)
    per_month = customer_attainment(customer_id=customer.pk, promises=promises)
    rows = []
    for p in promises:
        months = per_month[p.pk]
        n = sum(m.n for m in months)
        met = sum(m.met for m in months)
        total = attainment_of(str(p.pk), None, n, met, float(p.attainment_percent) / 100)
        rows.append(PromiseRow(p, plain_statement(p), total, months[-last:], trend_of(months)))
    return rows


def assets_of(customer: Customer) -> QuerySet[Asset]:
    return Asset.objects.filter(site__customer=customer).select_related("site")


def tickets_of(customer: Customer) -> QuerySet[Ticket]:
    """The customer's tickets, newest first, with whether feedback was given."""
    feedback = Feedback.objects.filter(ticket_id=OuterRef("pk"))
    return (
        Ticket.objects.filter(customer=customer)
        .select_related("asset")
        .annotate(feedback_given=Exists(feedback))
        .order_by("-opened_at", "-id")
    )


def ticket_of(customer: Customer, ticket_id: int) -> Ticket | None:
    """One of the customer's tickets; None for another customer's or a missing id."""
    return tickets_of(customer).filter(pk=ticket_id).first()


@dataclass(frozen=True)
class ClockRow:
    """One promise clock of a ticket as the customer sees it."""

    statement: str
    state: str
    state_label: str
    deadline: datetime | None
    seconds_left: int | None
    breached: bool


def clock_rows(ticket: Ticket, *, now: datetime | None = None) -> list[ClockRow]:
    """The ticket's clocks: promise, state and the wall-clock time left to the deadline
    while the clock runs (negative once past)."""
    at = now or timezone.now()
    clocks = Clock.objects.filter(ticket=ticket).select_related("promise").order_by("metric")
    rows = []
    for c in clocks:
        left = None
        if c.state in OPEN_STATES and c.deadline is not None:
            left = int((c.deadline - at).total_seconds())
        rows.append(
            ClockRow(
                plain_statement(c.promise),
                c.state,
                str(ClockState(c.state).label),
                c.deadline,
                left,
                c.breached,
            )
        )
    return rows


def planned_visits(customer: Customer, *, now: datetime | None = None) -> QuerySet[Ticket]:
    """Preventive work orders of the customer still ahead: open, window not yet over."""
    at = now or timezone.now()
    return (
        Ticket.objects.filter(customer=customer, kind__in=list(PREVENTIVE_KINDS))
        .exclude(status__in=list(STOP_STATUSES))
        .filter(Q(window_end__gte=at) | Q(window_end__isnull=True, opened_at__gte=at))
        .select_related("asset")
        .order_by("window_start", "opened_at", "id")
    )


def offers_for(customer: Customer) -> list[Any] | None:
    """The preventive offers for the customer, read through the settings hook
    ``SERVICEGATE_PORTAL_OFFERS``; None while no area provides offers."""
    path = getattr(settings, "SERVICEGATE_PORTAL_OFFERS", "")
    if not path:
        return None
    try:
        offers: Callable[[Customer], Any] = import_string(path)
    except ImportError:
        return None  # the area that makes offers is not installed yet
    return list(offers(customer))


@dataclass(frozen=True)
class PortalOffer:
    """What the portal needs of an offer from the hook: its id, product and one sentence."""

    id: str
    product_name: str
    summary: str


def _portal_offer(item: Any) -> PortalOffer | None:
    inner = getattr(item, "offer", item)  # maintenance wraps its Offer for customers
    offer_id = getattr(inner, "id", None)
    name = getattr(inner, "product_name", None)
    if offer_id is None or name is None:
        return None
    return PortalOffer(str(offer_id), str(name), str(item))


def offer_of(customer: Customer, offer_id: str) -> PortalOffer | None:
    """The customer's offer ``offer_id`` from the hook, or None (no such offer for it)."""
    for item in offers_for(customer) or []:
        found = _portal_offer(item)
        if found is not None and found.id == str(offer_id):
            return found
    return None


def offer_ids(item: Any) -> str | None:
    """The id of an offer from the hook (None when the hook gives none)."""
    found = _portal_offer(item)
    return found.id if found is not None else None


def requested_offers(customer: Customer) -> set[str]:
    """The ids of the offers the customer has requested already."""
    return set(OfferRequest.objects.filter(customer=customer).values_list("offer", flat=True))


def offer_requests_open() -> QuerySet[OfferRequest]:
    """Offer requests whose ticket is still open, oldest first (for Sales)."""
    return (
        OfferRequest.objects.exclude(ticket__status__in=list(STOP_STATUSES))
        .select_related("customer", "ticket")
        .order_by("requested_at", "id")
    )


def finding_reporter(contact_user: User | AnonymousUser) -> User | None:
    """Who raises the KVP finding of a contact's low feedback: the staff member who
    invited the contact if they may raise findings, else the first KVP lead."""
    contact = CustomerContact.objects.select_related("invited_by").filter(
        user_id=contact_user.pk or 0
    )
    inviter = next((c.invited_by for c in contact if c.invited_by is not None), None)
    if inviter is not None and inviter.is_active and inviter.has_perm("accounts.raise_finding"):
        return inviter
    leads = User.objects.filter(
        Q(is_superuser=True)
        | Q(
            groups__permissions__codename="lead_improvement",
            groups__permissions__content_type__app_label="accounts",
        ),
        is_active=True,
    )
    return leads.order_by("pk").first()


def feedback_promise(ticket: Ticket) -> Promise | None:
    """The promise a ticket's feedback concerns: its first breached clock's, else its first."""
    clock = (
        Clock.objects.filter(ticket=ticket)
        .select_related("promise__product", "promise__customer")
        .order_by("-breached", "metric", "promise_id")
        .first()
    )
    return clock.promise if clock is not None else None


def invitations_open() -> QuerySet[Invitation]:
    """Invitations not accepted yet, newest first."""
    return Invitation.objects.filter(accepted_at__isnull=True).select_related("customer")


def invitation_by_hash(token_hash: str) -> Invitation | None:
    return Invitation.objects.select_related("customer").filter(token_hash=token_hash).first()


def contacts() -> QuerySet[CustomerContact]:
    return CustomerContact.objects.select_related("user", "customer")


@dataclass(frozen=True)
class Csat:
    """Customer satisfaction of one group: scores given, mean score, share of 4 and 5."""

    group: str
    n: int
    mean: float | None
    satisfied: float | None


CSAT_GROUPS = {
    "customer": "customer__name",
    "product": "ticket__clocks__promise__product__name",
    "promise": "ticket__clocks__promise_id",
}


def csat(*, group_by: str = "customer", customer: Customer | None = None) -> list[Csat]:
    """CSAT per customer, product or promise (a ticket counts once per promise or product
    whose clock it carries), from the portal feedback; one query."""
    field = CSAT_GROUPS[group_by]
    rows = Feedback.objects.all()
    if customer is not None:
        rows = rows.filter(customer=customer)
    grouped = (
        rows.exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(
            n=Count("id", distinct=True),
            mean=Avg("score"),
            happy=Count("id", filter=Q(score__gte=4), distinct=True),
        )
        .order_by(field)
    )
    return [
        Csat(str(r[field]), r["n"], float(r["mean"]), r["happy"] / r["n"] if r["n"] else None)
        for r in grouped
    ]


#: CSAT group → the feedback's field holding the group's id.
CSAT_KEYS = {
    "customer": "customer_id",
    "product": "ticket__clocks__promise__product_id",
    "promise": "ticket__clocks__promise_id",
}


def csat_by_key(
    group_by: str,
    *,
    keys: list[int] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[int, Csat]:
    """CSAT per customer, product or promise id (``SERVICEGATE_CSAT``): a ticket counts
    once per promise or product whose clock it carries; only ``keys`` if given, feedback
    given from ``since`` to ``until`` (inclusive days); one query."""
    field = CSAT_KEYS[group_by]
    # one filter() call: the conditions on a multi-valued relation share one join
    where: dict[str, Any] = {f"{field}__isnull": False}
    if keys is not None:
        where[f"{field}__in"] = keys
    if since is not None:
        where["given_at__date__gte"] = since
    if until is not None:
        where["given_at__date__lte"] = until
    rows = Feedback.objects.filter(**where)
    # one row per (group, feedback): a ticket with several clocks of a product counts once
    scores: dict[int, list[int]] = {}
    for key, _pk, score in rows.values_list(field, "id", "score").distinct().order_by():
        scores.setdefault(int(key), []).append(int(score))
    return {
        key: Csat(str(key), len(s), sum(s) / len(s), sum(1 for x in s if x >= 4) / len(s))
        for key, s in sorted(scores.items())
    }
