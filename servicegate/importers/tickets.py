"""One row per ticket (generic CSV) with a mapping file.

Each row becomes a ticket and the events its instants imply (opened → new,
responded → in progress, resolved, closed), so clocks can be computed the same way
as for event logs. The same id twice with different values is refused.

* An instant before the opening (closed before it was created) rejects the row.
* The closing instant makes an event only when the row's status stops a clock (*closed*,
  *resolved*, *cancelled*: the event takes that status) or the file has no status: a
  request still open whose closed date is filled in is not closed.
* A status the mapping does not know rejects its row; the error lists every unmapped
  status of the file.
* A due-date column (``columns.due``) becomes the ticket's own deadline (``due_at``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from servicegate.importers.dates import DateParser, reason
from servicegate.importers.errors import RowError, not_a_flag, too_few_fields
from servicegate.importers.mapping import Mapping, date_parser
from servicegate.importers.reading import ByteProgress, open_source
from servicegate.importers.staging import Rejected, StagedEvent, StagedTicket, Staging
from servicegate.importers.tabular import Pending, mapped_rows, reject_unmapped
from servicegate.operations.choices import STOP_STATUSES, Channel, TicketKind, TicketStatus

INSTANTS = ("opened", "responded", "resolved", "closed", "due")
INSTANT_STATUS = {
    "opened": TicketStatus.NEW,
    "responded": TicketStatus.IN_PROGRESS,
    "resolved": TicketStatus.RESOLVED,
    "closed": TicketStatus.CLOSED,
}


def parse(
    path: Path,
    *,
    mapping: Mapping,
    timezone: str = "",
    encoding: str = "",
    progress: ByteProgress | None = None,
) -> Staging:
    """Read the ticket CSV at ``path`` with ``mapping`` into a staging."""
    parse_date = date_parser(mapping, timezone)
    seen: dict[str, int] = {}  # each ticket's first line
    pending: Pending = []
    with open_source(path, member=mapping.member) as source:
        staging = Staging(file=source.name, source=mapping.source)
        header, idx, rows = mapped_rows(
            source, mapping, encoding=encoding or mapping.encoding, progress=progress
        )
        staging.header = header
        for line, row in rows:
            staging.rows += 1
            error = _read_row(staging, mapping, idx, line, row, parse_date, seen, pending)
            if error is not None:
                staging.errors.append(error)
                staging.rejected.append(Rejected(error, row))
    reject_unmapped(staging, mapping, mapping.columns.get("status", ""), pending)
    return staging


def _read_row(
    staging: Staging,
    mapping: Mapping,
    idx: dict[str, int],
    line: int,
    row: list[str],
    parse_date: DateParser,
    seen: dict[str, int],
    pending: Pending,
) -> RowError | None:
    columns = mapping.columns
    if len(row) < len(staging.header):
        return RowError(staging.file, line, "", too_few_fields(len(row), len(staging.header)))
    ticket_id = row[idx["id"]].strip()
    if not ticket_id:
        return RowError(staging.file, line, columns["id"], _("the ticket id is empty"))
    if staging.repeats.repeated(row):
        staging.duplicates += 1  # an exact repetition adds nothing
        return None
    if ticket_id in seen:
        return RowError(
            staging.file,
            line,
            columns["id"],
            _(
                "the id %(id)r already appeared on line %(line)d with different values;"
                " keep one row per ticket"
            )
            % {"id": ticket_id, "line": seen[ticket_id]},
        )
    seen[ticket_id] = line
    instants: dict[str, datetime | None] = {}
    for key in INSTANTS:
        raw = row[idx[key]].strip() if key in idx else ""
        try:
            instants[key] = parse_date(raw) if raw else None
        except ValueError as exc:
            return RowError(
                staging.file,
                line,
                columns[key],
                _(
                    "cannot read %(value)r with the format %(format)r (%(reason)s); correct"
                    " the value or [timestamp] format"
                )
                % {"value": raw, "format": mapping.timestamp_format, "reason": reason(exc)},
            )
    opened = instants["opened"]
    if opened is None:
        return RowError(staging.file, line, columns["opened"], _("the opening time is empty"))
    for key in ("responded", "resolved", "closed"):
        at = instants[key]
        if at is not None and at < opened:
            return RowError(
                staging.file,
                line,
                columns[key],
                _(
                    "%(value)s lies before the opening %(opened)s; correct the date, or leave"
                    " it empty if it is not known"
                )
                % {"value": row[idx[key]].strip(), "opened": row[idx["opened"]].strip()},
            )
    raw_status = row[idx["status"]].strip() if "status" in idx else ""
    status = mapping.known_status(raw_status) if raw_status else ""
    if status is None:
        pending.append((line, row, raw_status))
        return None
    if status and status not in STOP_STATUSES:
        instants["closed"] = None
    return _stage(staging, mapping, idx, line, row, ticket_id, instants, status)


def _stage(
    staging: Staging,
    mapping: Mapping,
    idx: dict[str, int],
    line: int,
    row: list[str],
    ticket_id: str,
    instants: dict[str, datetime | None],
    status: str,
) -> RowError | None:
    columns = mapping.columns

    def value(key: str) -> str:
        return row[idx[key]].strip() if key in idx else ""

    kind = value("kind") or mapping.kind
    if kind not in TicketKind.values:
        return RowError(
            staging.file, line, columns.get("kind", ""), _("unknown kind %(kind)r") % {"kind": kind}
        )
    channel = value("channel") or mapping.channel
    if channel not in Channel.values:
        return RowError(
            staging.file,
            line,
            columns.get("channel", ""),
            _("unknown channel %(channel)r") % {"channel": channel},
        )
    made_sla_raw = value("made_sla").lower()
    if made_sla_raw not in {"", "true", "false", "1", "0", "yes", "no"}:
        return RowError(staging.file, line, columns["made_sla"], not_a_flag(made_sla_raw))
    ticket = StagedTicket(
        external_id=ticket_id[:64],
        line=line,
        number=(value("number") or ticket_id)[:64],
        kind=kind,
        channel=channel,
        source_priority=value("priority")[:64],
        priority=mapping.priority_of(value("priority")),
        category=value("category")[:200],
        assignment_group=value("group")[:200],
        resource=value("resource")[:200],
        opened_at=instants["opened"],
        responded_at=instants["responded"],
        resolved_at=instants["resolved"] or instants["closed"],
        closed_at=instants["closed"],
        due_at=instants["due"],
        source_status=value("status")[:100],
        source_made_sla=None if not made_sla_raw else made_sla_raw in {"true", "1", "yes"},
    )
    ticket.status = _status(mapping, ticket)
    staging.tickets[ticket.external_id] = ticket
    closing = status or TicketStatus.CLOSED
    staging.events[ticket.external_id] = [
        StagedEvent(
            at,
            closing if key == "closed" else INSTANT_STATUS[key],
            "",
            ticket.priority,
            ticket.assignment_group,
            "",
        )
        for key, at in instants.items()
        if at is not None and key in INSTANT_STATUS
    ]
    return None


def _status(mapping: Mapping, ticket: StagedTicket) -> str:
    if ticket.source_status:
        return mapping.status_of(ticket.source_status)
    if ticket.closed_at is not None:
        return TicketStatus.CLOSED
    if ticket.resolved_at is not None:
        return TicketStatus.RESOLVED
    return TicketStatus.IN_PROGRESS if ticket.responded_at else TicketStatus.NEW
