"""Event logs (CSV or XES) with a mapping file: one row per status change of a case.

Ticket fields (priority, category, group, resource) follow the case's latest event by
time, not the order of the file's rows (rows at the same instant: the later row wins;
an empty priority keeps the one before). A status the mapping does not know rejects its
row; the error lists every unmapped status of the file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from servicegate.importers.dates import DateParser, reason
from servicegate.importers.errors import RowError, too_few_fields
from servicegate.importers.mapping import Mapping, date_parser
from servicegate.importers.reading import ByteProgress, open_source
from servicegate.importers.staging import Rejected, StagedEvent, StagedTicket, Staging
from servicegate.importers.tabular import Pending, mapped_rows, reject_unmapped


def parse(
    path: Path,
    *,
    mapping: Mapping,
    timezone: str = "",
    encoding: str = "",
    progress: ByteProgress | None = None,
) -> Staging:
    """Read the event log at ``path`` with ``mapping`` into a staging."""
    parse_date = date_parser(mapping, timezone)
    with open_source(path, member=mapping.member) as source:
        staging = Staging(file=source.name, source=mapping.source)
        header, idx, rows = mapped_rows(
            source, mapping, encoding=encoding or mapping.encoding, progress=progress
        )
        staging.header = header
        latest = Latest()
        pending: Pending = []
        for line, row in rows:
            staging.rows += 1
            error = _read_row(staging, mapping, idx, line, row, parse_date, latest, pending)
            if error is not None:
                staging.errors.append(error)
                staging.rejected.append(Rejected(error, row))
    reject_unmapped(staging, mapping, mapping.columns["status"], pending)
    staging.derive_from_events()
    return staging


class Latest:
    """Per case, the instant of the event its ticket fields (and priority) come from."""

    def __init__(self) -> None:
        self.fields: dict[str, datetime] = {}
        self.priority: dict[str, datetime] = {}

    @staticmethod
    def take(seen: dict[str, datetime], case_id: str, at: datetime) -> bool:
        """Whether an event at ``at`` is the case's latest so far (and remember it)."""
        if case_id in seen and at < seen[case_id]:
            return False
        seen[case_id] = at
        return True


def _read_row(
    staging: Staging,
    mapping: Mapping,
    idx: dict[str, int],
    line: int,
    row: list[str],
    parse_date: DateParser,
    latest: Latest,
    pending: Pending,
) -> RowError | None:
    if len(row) < len(staging.header):
        return RowError(staging.file, line, "", too_few_fields(len(row), len(staging.header)))
    columns = mapping.columns
    case_id = row[idx["id"]].strip()
    if not case_id:
        return RowError(staging.file, line, columns["id"], _("the case id is empty"))
    raw_at = row[idx["timestamp"]]
    try:
        at = parse_date(raw_at)
    except ValueError as exc:
        return RowError(
            staging.file,
            line,
            columns["timestamp"],
            _(
                "cannot read the timestamp %(value)r with the format %(format)r (%(reason)s);"
                " correct the value or [timestamp] format"
            )
            % {"value": raw_at, "format": mapping.timestamp_format, "reason": reason(exc)},
        )
    raw_status = row[idx["status"]].strip()
    if not raw_status:
        return RowError(staging.file, line, columns["status"], _("the status/activity is empty"))
    source_priority = row[idx["priority"]] if "priority" in idx else ""
    priority = mapping.priority_of(source_priority)
    group = row[idx["group"]] if "group" in idx else ""
    resource = row[idx["resource"]] if "resource" in idx else ""
    status = mapping.known_status(raw_status)
    if status is None:
        pending.append((line, row, raw_status))
        return None
    if staging.repeats.repeated(row):
        staging.duplicates += 1
        return None
    staging.events.setdefault(case_id, []).append(
        StagedEvent(at, status, raw_status[:100], priority, group[:200], resource[:200])
    )
    ticket = staging.tickets.get(case_id)
    if ticket is None:
        ticket = staging.tickets[case_id] = StagedTicket(
            external_id=case_id[:64],
            line=line,
            number=case_id[:64],
            kind=mapping.kind,
            channel=mapping.channel,
        )
    if source_priority and latest.take(latest.priority, case_id, at):
        ticket.priority = priority
        ticket.source_priority = source_priority[:64]
    if latest.take(latest.fields, case_id, at):
        if "category" in idx:
            ticket.category = row[idx["category"]][:200]
        ticket.assignment_group = group[:200]
        ticket.resource = resource[:200]
    return None
