"""Tickets and events read from a file, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from hashlib import blake2b
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from servicegate.importers.errors import ImportFailure, RowError
from servicegate.operations.choices import STOP_STATUSES, TicketStatus


class StagedEvent(NamedTuple):
    """One status or assignment change read from the file."""

    at: datetime
    status: str
    source_status: str
    priority: str
    assignment_group: str
    resource: str


BY_TIME = itemgetter(0)  # StagedEvent.at, as a C-level sort key
DIGEST_BYTES = 16


class Repeats:
    """The rows seen so far, as digests: a row identical to an earlier one adds nothing.

    One 16-byte digest per distinct row, never the row's text, so that a file of
    millions of identical rows holds one digest. A row is identical to another when
    every field is, the ticket id included.
    """

    def __init__(self) -> None:
        self.digests: set[bytes] = set()

    def repeated(self, row: list[str]) -> bool:
        """Whether ``row`` was seen before (and remember it if not)."""
        text = "\x1f".join(row).encode("utf-8", "surrogatepass")
        digest = blake2b(text, digest_size=DIGEST_BYTES, person=b"%d" % len(row)).digest()
        if digest in self.digests:
            return True
        self.digests.add(digest)
        return False


@dataclass
class StagedTicket:
    """A ticket as the file describes it (the last row wins for ticket fields)."""

    external_id: str
    line: int
    number: str = ""
    kind: str = "incident"
    channel: str = "remote"
    priority: str = ""
    source_priority: str = ""
    category: str = ""
    assignment_group: str = ""
    resource: str = ""
    opened_at: datetime | None = None
    responded_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    due_at: datetime | None = None
    status: str = TicketStatus.NEW
    source_status: str = ""
    reassignment_count: int = 0
    reopen_count: int = 0
    source_made_sla: bool | None = None


@dataclass
class Rejected:
    """A row left out by --skip-invalid, with the reason."""

    error: RowError
    row: list[str]


@dataclass
class Staging:
    """Everything one file yields: tickets, their events, rejected rows."""

    file: str
    source: str
    header: list[str] = field(default_factory=list)
    rows: int = 0
    tickets: dict[str, StagedTicket] = field(default_factory=dict)
    events: dict[str, list[StagedEvent]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    #: The rows read so far (see Repeats) and how many repeated an earlier one: those
    #: add nothing.
    repeats: Repeats = field(default_factory=Repeats)
    duplicates: int = 0
    #: The whole file column by column (a fast reader's result), instead of tickets and
    #: events; the writer inserts it directly or stages it first (ColumnLog.stage).
    columns: ColumnLog | None = None

    @property
    def event_count(self) -> int:
        return sum(len(events) for events in self.events.values())

    def derive_from_events(self) -> None:
        """Fill what the ticket rows left open from the ticket's events (sorted by time)."""
        limit = settings.SERVICEGATE_IMPORT_MAX_ROWS_PER_TICKET
        for external_id, events in self.events.items():
            if len(events) > limit:
                raise too_many_rows(self.file, external_id, len(events), limit)
            events.sort(key=BY_TIME)  # stable: file order breaks ties
            ticket = self.tickets[external_id]
            _derive(ticket, events)


def too_many_rows(file: str, ticket: str, count: int, limit: int) -> ImportFailure:
    """The failure of a file with more than ``limit`` rows of one ticket."""
    return ImportFailure(
        _(
            "%(file)s: the ticket %(ticket)r has %(count)d rows, more than %(limit)d"
            " (SERVICEGATE_IMPORT_MAX_ROWS_PER_TICKET). Nothing of this file was imported;"
            " check the export for repeated rows."
        )
        % {"file": file, "ticket": ticket, "count": count, "limit": limit}
    )


def _derive(ticket: StagedTicket, events: list[StagedEvent]) -> None:
    if not events:
        return
    last = events[-1]
    ticket.status = last.status
    ticket.source_status = ticket.source_status or last.source_status
    if ticket.opened_at is None:
        ticket.opened_at = events[0].at
    if ticket.responded_at is None:
        ticket.responded_at = next((e.at for e in events if e.status != TicketStatus.NEW), None)
    if ticket.resolved_at is None and last.status in STOP_STATUSES:
        # The last entry into a stop status: a reopened ticket resolves again later.
        resolved = last.at
        for event in reversed(events):
            if event.status not in STOP_STATUSES:
                break
            resolved = event.at
        ticket.resolved_at = resolved
    if ticket.closed_at is None and last.status == TicketStatus.CLOSED:
        ticket.closed_at = last.at


#: Ticket columns of a :class:`ColumnLog`, as :class:`StagedTicket` names them (the row
#: values; the derived ones follow in DERIVED).
ROW_FIELDS = (
    "external_id",
    "line",
    "priority",
    "source_priority",
    "category",
    "channel",
    "assignment_group",
    "resource",
    "opened_at",
    "resolved_at",
    "closed_at",
    "reassignment_count",
    "reopen_count",
    "source_made_sla",
)
DERIVED = ("status", "source_status", "responded_at", "resolved_at", "closed_at")
EVENT_FIELDS = ("at", "status", "source_status", "priority", "assignment_group", "resource")


@dataclass
class ColumnLog:
    """Tickets (first-appearance order) and events (by ticket, time, file order)."""

    rows: int
    #: Rows identical to an earlier row of the file, left out of ``events``.
    duplicates: int = 0
    #: ROW_FIELDS, one value per ticket, as the ticket's last row gives them.
    tickets: dict[str, list[Any]] = field(default_factory=dict)
    #: DERIVED, one value per ticket, with the row values where the row had them.
    derived: dict[str, list[Any]] = field(default_factory=dict)
    #: EVENT_FIELDS, plus ``ticket`` (a ticket's position) and ``seq`` (from 1).
    events: dict[str, list[Any]] = field(default_factory=dict)

    def stage(self, staging: Staging) -> None:
        """Fill ``staging`` as the row reader would, and derive as it does."""
        names = ROW_FIELDS
        events = list(
            map(
                tuple.__new__,
                [StagedEvent] * len(self.events["ticket"]),
                zip(*(self.events[n] for n in EVENT_FIELDS), strict=True),
            )
        )
        ends = np.cumsum(np.bincount(self.events["ticket"])).tolist()
        start = 0
        for values, end in zip(
            zip(*(self.tickets[n] for n in names), strict=True), ends, strict=True
        ):
            ticket = StagedTicket(**dict(zip(names, values, strict=True)))
            ticket.number = ticket.external_id
            staging.tickets[ticket.external_id] = ticket
            staging.events[ticket.external_id] = events[start:end]
            start = end
        staging.derive_from_events()
