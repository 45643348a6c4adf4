"""The feed: batches of status changes pushed by another ticket tool, stored idempotently.

Each item names its ticket by ``(source, external_id)``; an unknown ticket is created,
opened at its first event. An event is new unless the ticket already holds an event
with the same instant and source status (the importers' rule), so the same batch sent
twice stores nothing the second time. Statuses and priorities are translated by a
mapping file as for imports (``mapping``, one of the shipped mappings); without one a
status must be a Servicegate status. The whole batch is checked first and stored in one
transaction with the clocks of the touched tickets: one bad item refuses the batch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.core.permissions import has_capability
from servicegate.importers.errors import ImportFailure
from servicegate.importers.mapping import SHIPPED, Mapping
from servicegate.importers.mapping import load as load_mapping
from servicegate.operations.choices import ImportFormat, Priority, TicketStatus
from servicegate.operations.errors import TicketRefused
from servicegate.operations.models import Customer, Ticket, TicketChange, TicketEvent
from servicegate.operations.ticket_services import (
    Actor,
    apply_status,
    check_instant,
    kind_of,
    tickets_changed,
    user_of,
)

MAX_ITEMS = 1000


@dataclass(frozen=True)
class FeedItem:
    """One status change of one ticket in the source tool."""

    source: str
    external_id: str
    status: str
    at: datetime
    priority: str = ""
    group: str = ""
    title: str = ""
    number: str = ""
    customer: int | None = None
    kind: str = ""


@dataclass
class FeedResult:
    """What a batch stored."""

    tickets_created: int = 0
    tickets_updated: int = 0
    events_created: int = 0
    events_skipped: int = 0  # sent before: already stored


@dataclass(frozen=True)
class _Checked:
    item: FeedItem
    status: str
    priority: str


def feed_apply(*, items: list[FeedItem], by: Actor, mapping: str = "") -> FeedResult:
    """Store a batch of feed items (needs ``import_data``); see the module docstring."""
    if not has_capability(by, "import_data"):
        raise TicketRefused(
            _("Your role does not allow feeding tickets; use an account that may import data."),
            status=403,
        )
    if len(items) > MAX_ITEMS:
        raise TicketRefused(
            _("A batch holds at most %(max)d items; send %(n)d items in several batches.")
            % {"max": MAX_ITEMS, "n": len(items)}
        )
    checked = _check(items, _mapping(mapping))
    result = FeedResult()
    touched: list[int] = []
    with transaction.atomic():
        by_ticket: dict[tuple[str, str], list[_Checked]] = {}
        for c in sorted(checked, key=lambda c: c.item.at):
            by_ticket.setdefault((c.item.source, c.item.external_id), []).append(c)
        for (source, external_id), changes in by_ticket.items():
            ticket_id = _store(source, external_id, changes, result, by)
            if ticket_id is not None:
                touched.append(ticket_id)
        tickets_changed(touched)
    return result


def _mapping(name: str) -> Mapping | None:
    if not name:
        return None
    names = sorted(p.stem for p in SHIPPED.glob("*.toml"))
    if name not in names:
        raise TicketRefused(
            _("%(name)r is no shipped mapping; use one of %(names)s.")
            % {"name": name, "names": ", ".join(names)}
        )
    try:
        return load_mapping(name, expected_format=ImportFormat.EVENTS)
    except ImportFailure:
        return load_mapping(name, expected_format=ImportFormat.TICKETS)


def _check(items: list[FeedItem], mapping: Mapping | None) -> list[_Checked]:
    now = timezone.now()
    out = []
    customers = set(
        Customer.objects.filter(pk__in={i.customer for i in items if i.customer}).values_list(
            "pk", flat=True
        )
    )
    for n, item in enumerate(items, start=1):
        try:
            if not item.source.strip() or not item.external_id.strip():
                raise TicketRefused(_("source and external_id are needed to name the ticket."))
            check_instant(item.at, opened_at=None, now=now)
            status = mapping.status_of(item.status) if mapping else item.status
            if status not in TicketStatus.values:
                raise TicketRefused(
                    _("the status %(status)r is none of %(names)s; send a mapping that names it.")
                    % {"status": item.status, "names": ", ".join(TicketStatus.values)}
                )
            priority = mapping.priority_of(item.priority) if mapping else item.priority
            if priority and priority not in Priority.values:
                raise TicketRefused(
                    _("the priority %(priority)r is none of P1–P4.") % {"priority": item.priority}
                )
            if item.customer is not None and item.customer not in customers:
                raise TicketRefused(_("there is no customer %(id)s.") % {"id": item.customer})
            if item.kind:
                kind_of(item.kind)
        except TicketRefused as exc:
            raise TicketRefused(
                _("Item %(n)d (%(id)s): %(reason)s Nothing of the batch was stored.")
                % {"n": n, "id": item.external_id, "reason": exc}
            ) from None
        out.append(_Checked(item, status, priority))
    return out


def _store(
    source: str, external_id: str, changes: list[_Checked], result: FeedResult, by: Actor
) -> int | None:
    """Store one ticket's changes (sorted by time); its id if anything was new."""
    first = changes[0].item
    ticket = (
        Ticket.objects.select_for_update().filter(source=source, external_id=external_id).first()
    )
    created = ticket is None
    if ticket is None:
        ticket = Ticket.objects.create(
            source=source[:32],
            external_id=external_id[:64],
            number=(first.number or external_id)[:64],
            title=first.title[:200],
            kind=kind_of(first.kind) if first.kind else "incident",
            customer_id=first.customer,
            opened_at=first.at,
            priority=changes[0].priority,
        )
    stored = Counter(ticket.events.values_list("at", "source_status"))
    seq = ticket.events.aggregate(seq=Max("seq"))["seq"] or 0
    new = []
    for c in changes:
        key = (c.item.at, c.item.status[:100])
        if stored[key] > 0:
            stored[key] -= 1
            result.events_skipped += 1
            continue
        seq += 1
        new.append(c)
        TicketEvent.objects.create(
            ticket=ticket,
            seq=seq,
            at=c.item.at,
            status=c.status,
            source_status=c.item.status[:100],
            priority=c.priority,
            assignment_group=c.item.group[:200],
        )
    if not new:
        return None
    _derive(ticket, new)
    result.events_created += len(new)
    result.tickets_created += created
    result.tickets_updated += not created
    TicketChange.objects.create(
        ticket=ticket,
        by=user_of(by),
        action=TicketChange.Action.FED,
        changes={"events": len(new)},
    )
    return ticket.pk


def _derive(ticket: Ticket, new: list[_Checked]) -> None:
    """Ticket fields after ``new`` events: they follow the latest event by time."""
    latest = ticket.events.order_by("-at", "-seq").first()
    for c in new:
        if c.item.at < ticket.opened_at:
            ticket.opened_at = c.item.at
        if c.item.title:
            ticket.title = c.item.title[:200]
    assert latest is not None
    last = next((c for c in reversed(new) if c.item.at == latest.at), None)
    if last is not None:  # the newest event is one of these: it sets status and labels
        apply_status(ticket, status=last.status, at=last.item.at)
        ticket.source_status = last.item.status[:100]
        ticket.priority = last.priority or ticket.priority
        ticket.assignment_group = last.item.group[:200] or ticket.assignment_group
    ticket.save()
