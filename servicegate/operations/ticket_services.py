"""Working tickets in Servicegate: create, change assignment or priority, record a status.

Every write is one transaction: the ticket row, its append-only events, an audit row
(``TicketChange``) and the clocks of the ticket (``tickets_changed``: the functions in
``settings.SERVICEGATE_TICKETS_CHANGED``, measurement's ``clocks_follow``), so a reader
sees the write with its clocks or neither. Refusals raise :class:`TicketRefused`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from servicegate.core.permissions import has_capability
from servicegate.operations.choices import (
    KIND_ALIASES,
    REACTIVE_KINDS,
    STOP_STATUSES,
    Channel,
    Priority,
    TicketKind,
    TicketStatus,
)
from servicegate.operations.errors import TicketRefused
from servicegate.operations.models import Asset, Customer, Ticket, TicketChange, TicketEvent
from servicegate.operations.models.tickets import NATIVE_SOURCE
from servicegate.team.models import Technician

Actor = User | AnonymousUser
#: How far ahead of the server's clock an event may be dated (clocks of other machines).
FUTURE_SLACK = timedelta(minutes=5)
UNSET: Any = object()


@cache
def _listeners() -> list[Callable[[list[int]], object]]:
    return [import_string(path) for path in settings.SERVICEGATE_TICKETS_CHANGED]


def tickets_changed(ids: Iterable[int]) -> None:
    """Tell the areas that derive state from tickets (the clocks) which tickets changed."""
    wanted = sorted(set(ids))
    if wanted:
        for listener in _listeners():
            listener(wanted)


def may_dispatch(user: Actor) -> bool:
    """Dispatchers and service managers create and change any ticket."""
    return has_capability(user, "dispatch")


def may_work(user: Actor, ticket: Ticket) -> bool:
    """Whether ``user`` may record a status on ``ticket``: dispatchers on any, technicians
    on those assigned to them."""
    if may_dispatch(user):
        return True
    if not has_capability(user, "work_tickets") or ticket.technician_id is None:
        return False
    return Technician.objects.filter(pk=ticket.technician_id, user_id=user.pk or 0).exists()


def _require_dispatch(user: Actor) -> None:
    if not may_dispatch(user):
        raise TicketRefused(
            _(
                "Your role does not allow creating or changing tickets; ask a dispatcher or"
                " service manager."
            ),
            status=403,
        )


def kind_of(value: str) -> str:
    """The ticket kind named ``value`` (a stored value or an alias); 422 if none."""
    kind = KIND_ALIASES.get(value, value)
    if kind not in TicketKind.values:
        names = ", ".join([*TicketKind.values, *KIND_ALIASES])
        raise TicketRefused(
            _("%(value)r is no ticket kind; use one of %(names)s.")
            % {"value": value, "names": names}
        )
    return kind


def _check_choice(value: str, allowed: list[str], what: str) -> None:
    if value not in allowed:
        raise TicketRefused(
            _("%(value)r is no %(what)s; use one of %(names)s.")
            % {"value": value, "what": what, "names": ", ".join(allowed)}
        )


def check_instant(at: datetime, *, opened_at: datetime | None, now: datetime) -> None:
    """Refuse (422) an instant more than FUTURE_SLACK ahead or before the ticket opened."""
    if timezone.is_naive(at):
        raise TicketRefused(_("Give the time with its offset, for example 2026-03-01T09:00Z."))
    if at > now + FUTURE_SLACK:
        raise TicketRefused(
            _("%(at)s lies more than 5 minutes in the future; send the time it happened.")
            % {"at": at.isoformat()}
        )
    if opened_at is not None and at < opened_at:
        raise TicketRefused(
            _("%(at)s is before the ticket was opened (%(opened)s); check the time.")
            % {"at": at.isoformat(), "opened": opened_at.isoformat()}
        )


def _customer_and_asset(customer_id: int | None, asset_id: int | None) -> tuple[Any, Any]:
    customer = asset = None
    if customer_id is not None:
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise TicketRefused(
                _("There is no customer %(id)s; pick one from /api/v1/customers/.")
                % {"id": customer_id}
            )
    if asset_id is not None:
        asset = Asset.objects.select_related("site").filter(pk=asset_id).first()
        if asset is None:
            raise TicketRefused(
                _("There is no asset %(id)s; pick one from /api/v1/assets/.") % {"id": asset_id}
            )
        if customer is None:
            customer = asset.site.customer
        elif asset.site.customer_id != customer.pk:
            raise TicketRefused(
                _("Asset %(asset)s belongs to another customer; pick one of this customer's.")
                % {"asset": asset_id}
            )
    return customer, asset


def _technician(technician_id: int | None) -> Technician | None:
    if technician_id is None:
        return None
    technician = Technician.objects.filter(pk=technician_id, is_active=True).first()
    if technician is None:
        raise TicketRefused(
            _("There is no active technician %(id)s; pick one of the team's technicians.")
            % {"id": technician_id}
        )
    return technician


def ticket_create(
    *,
    by: Actor,
    title: str,
    customer_id: int | None,
    asset_id: int | None = None,
    priority: str,
    kind: str = TicketKind.INCIDENT,
    channel: str = Channel.REMOTE,
    opened_at: datetime | None = None,
    source: str = "",
    external_id: str = "",
    technician_id: int | None = None,
    assignment_group: str = "",
) -> Ticket:
    """Open a ticket (dispatchers and service managers), with its first event and clocks."""
    _require_dispatch(by)
    return _ticket_open(
        by=by,
        title=title,
        customer_id=customer_id,
        asset_id=asset_id,
        priority=priority,
        kind=kind,
        channel=channel,
        opened_at=opened_at,
        source=source,
        external_id=external_id,
        technician_id=technician_id,
        assignment_group=assignment_group,
    )


def work_order_create(
    *,
    by: Actor,
    title: str,
    customer_id: int,
    asset_id: int | None,
    kind: str,
    channel: str,
    window_start: datetime,
    window_end: datetime,
    duration_minutes: int,
    skill_ids: Iterable[int] = (),
    source: str = "",
    external_id: str = "",
    priority: str = Priority.P3,
) -> Ticket:
    """Open a planned work order (a preventive kind) with its window, duration and skills.

    Dispatchers may, and so may whoever sells or plans preventive services: a plan that
    was sold orders its own visits (``sell_preventive``, ``plan_capacity``). The work
    order opens now; its window says when the visit is due.
    """
    if not (
        may_dispatch(by)
        or has_capability(by, "sell_preventive")
        or has_capability(by, "plan_capacity")
    ):
        _require_dispatch(by)
    if kind_of(kind) in REACTIVE_KINDS:
        raise TicketRefused(
            _("A work order is preventive work; use a ticket for %(kind)s.") % {"kind": kind}
        )
    if window_end <= window_start or duration_minutes <= 0:
        raise TicketRefused(
            _("The window must end after it starts and the duration must be positive.")
        )
    with transaction.atomic():
        ticket = _ticket_open(
            by=by,
            title=title,
            customer_id=customer_id,
            asset_id=asset_id,
            priority=priority,
            kind=kind,
            channel=channel,
            opened_at=None,
            source=source,
            external_id=external_id,
            technician_id=None,
            assignment_group="",
        )
        ticket.window_start, ticket.window_end = window_start, window_end
        ticket.duration_minutes = duration_minutes
        ticket.save(update_fields=["window_start", "window_end", "duration_minutes"])
        ticket.required_skills.set(list(skill_ids))
    return ticket


def ticket_raise(
    *,
    by: Actor,
    customer_id: int,
    asset_id: int | None,
    title: str,
    priority: str,
    description: str = "",
    kind: str = TicketKind.INCIDENT,
) -> Ticket:
    """A customer contact (``use_portal``) raises an incident (or, with ``kind``, a request)
    for its own organisation.

    The caller (the portal) has checked that ``by`` is a contact of ``customer_id``; the
    ticket opens now, unassigned, with its clocks, in the dispatcher's queue; the
    customer's description is the note of its creation.
    """
    if not has_capability(by, "use_portal"):
        raise TicketRefused(_("Only customer contacts raise tickets in the portal."), status=403)
    return _ticket_open(
        by=by,
        title=title,
        customer_id=customer_id,
        asset_id=asset_id,
        priority=priority,
        kind=TicketKind.REQUEST if kind == TicketKind.REQUEST else TicketKind.INCIDENT,
        note=description,
    )


def _ticket_open(
    *,
    by: Actor,
    title: str,
    customer_id: int | None,
    asset_id: int | None = None,
    priority: str,
    kind: str = TicketKind.INCIDENT,
    channel: str = Channel.REMOTE,
    opened_at: datetime | None = None,
    source: str = "",
    external_id: str = "",
    technician_id: int | None = None,
    assignment_group: str = "",
    note: str = "",
) -> Ticket:
    now = timezone.now()
    opened_at = opened_at or now
    kind = kind_of(kind)
    _check_choice(priority, Priority.values, _("priority"))
    _check_choice(channel, Channel.values, _("channel"))
    check_instant(opened_at, opened_at=None, now=now)
    if not title.strip():
        raise TicketRefused(_("The title is empty; say in a few words what is wrong."))
    customer, asset = _customer_and_asset(customer_id, asset_id)
    technician = _technician(technician_id)
    source = source or NATIVE_SOURCE
    with transaction.atomic():
        if external_id and Ticket.objects.filter(source=source, external_id=external_id).exists():
            raise TicketRefused(
                _("Ticket %(id)s of %(source)s exists already; change it with PATCH.")
                % {"id": external_id, "source": source},
                status=409,
            )
        ticket = Ticket.objects.create(
            source=source,
            external_id=external_id or f"new-{now.timestamp()}",
            number=external_id,
            title=title.strip()[:200],
            kind=kind,
            channel=channel,
            priority=priority,
            customer=customer,
            asset=asset,
            assignment_group=assignment_group[:200],
            technician=technician,
            opened_at=opened_at,
        )
        if not external_id:  # numbered by its id, like the demo's SG-0000001
            ticket.number = ticket.external_id = _free_number(ticket.pk, source)
            ticket.save(update_fields=["number", "external_id"])
        _event(ticket, at=opened_at, status=TicketStatus.NEW, seq=1)
        if technician is not None:
            ticket.status = TicketStatus.ASSIGNED
            ticket.save(update_fields=["status"])
            _event(ticket, at=opened_at, status=TicketStatus.ASSIGNED, seq=2)
        TicketChange.objects.create(
            ticket=ticket,
            by=user_of(by),
            action=TicketChange.Action.CREATED,
            changes={},
            note=note,
        )
        tickets_changed([ticket.pk])
    return ticket


def _free_number(pk: int, source: str) -> str:
    """``SG-<id>``, or with a suffix if an imported or demo ticket holds that number."""
    number, n = f"SG-{pk:07d}", 1
    while Ticket.objects.filter(source=source, external_id=number).exists():
        n += 1
        number = f"SG-{pk:07d}-{n}"
    return number


def ticket_update(
    *,
    ticket: Ticket,
    by: Actor,
    technician_id: int | None = UNSET,
    assignment_group: str = UNSET,
    priority: str = UNSET,
    note: str = "",
) -> Ticket:
    """Change a ticket's assignee, group or priority (dispatchers and service managers).

    The change is an event at the present instant in the ticket's current status, so a
    priority change re-evaluates the clocks from then on and keeps their pauses. A first
    assignee moves a new ticket to ``assigned``.
    """
    _require_dispatch(by)
    if priority is not UNSET:
        _check_choice(priority, Priority.values, _("priority"))
    technician = _technician(technician_id) if technician_id not in (UNSET, None) else None
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        before = _assignment(ticket)
        if technician_id is not UNSET:
            ticket.technician = technician
        if assignment_group is not UNSET:
            ticket.assignment_group = assignment_group[:200]
        if priority is not UNSET:
            ticket.priority = priority
        after = _assignment(ticket)
        changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
        if not changes:
            return ticket
        if ("technician" in changes and before["technician"] is not None) or (
            "assignment_group" in changes and before["assignment_group"]
        ):
            ticket.reassignment_count += 1
        if ticket.technician_id is not None and ticket.status == TicketStatus.NEW:
            ticket.status = TicketStatus.ASSIGNED
        last, seq = _last_event(ticket)
        at = max(timezone.now(), last)
        ticket.save()
        _event(ticket, at=at, status=ticket.status, seq=seq + 1)
        TicketChange.objects.create(
            ticket=ticket,
            by=user_of(by),
            action=TicketChange.Action.UPDATED,
            changes=changes,
            note=note,
        )
        tickets_changed([ticket.pk])
    return ticket


def ticket_event_append(
    *, ticket: Ticket, by: Actor, status: str, at: datetime | None = None, note: str = ""
) -> TicketEvent:
    """Record a status of a ticket (dispatchers on any, technicians on their own).

    ``at`` (default now) may be at most 5 minutes ahead, not before the ticket opened
    and not before its latest event (409: events are append-only, in time order).
    """
    if not may_work(by, ticket):
        raise TicketRefused(
            _("You may record a status only on tickets assigned to you; ask a dispatcher."),
            status=403,
        )
    _check_choice(status, TicketStatus.values, _("ticket status"))
    now = timezone.now()
    at = at or now
    check_instant(at, opened_at=ticket.opened_at, now=now)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        last, seq = _last_event(ticket)
        if at < last:
            raise TicketRefused(
                _(
                    "The ticket has an event at %(last)s, later than %(at)s; events are"
                    " recorded in time order, so send a time from %(last)s on."
                )
                % {"last": last.isoformat(), "at": at.isoformat()},
                status=409,
            )
        before = ticket.status
        apply_status(ticket, status=status, at=at)
        ticket.save()
        event = _event(ticket, at=at, status=status, seq=seq + 1)
        TicketChange.objects.create(
            ticket=ticket,
            by=user_of(by),
            action=TicketChange.Action.EVENT,
            changes={"status": [before, status]},
            note=note,
        )
        tickets_changed([ticket.pk])
    return event


def apply_status(ticket: Ticket, *, status: str, at: datetime) -> None:
    """Set the fields a new latest event in ``status`` at ``at`` derives on ``ticket``."""
    if ticket.status in STOP_STATUSES and status not in STOP_STATUSES:
        ticket.reopen_count += 1
        ticket.resolved_at = ticket.closed_at = None
    if status not in (TicketStatus.NEW, TicketStatus.ASSIGNED) and ticket.responded_at is None:
        ticket.responded_at = at
    if status in STOP_STATUSES and ticket.resolved_at is None:
        ticket.resolved_at = at
    if status == TicketStatus.CLOSED:
        ticket.closed_at = at
    ticket.status = status


def _assignment(ticket: Ticket) -> dict[str, Any]:
    return {
        "technician": ticket.technician_id,
        "assignment_group": ticket.assignment_group,
        "priority": ticket.priority,
    }


def _last_event(ticket: Ticket) -> tuple[datetime, int]:
    """The time of the ticket's latest event (its opening if none) and the highest
    sequence number (0 if none), in one query."""
    last = ticket.events.aggregate(at=Max("at"), seq=Max("seq"))
    return last["at"] or ticket.opened_at, last["seq"] or 0


def _event(ticket: Ticket, *, at: datetime, status: str, seq: int) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        seq=seq,
        at=at,
        status=status,
        priority=ticket.priority,
        assignment_group=ticket.assignment_group,
        technician_id=ticket.technician_id,
    )


def user_of(by: Actor) -> User | None:
    return by if isinstance(by, User) else None
