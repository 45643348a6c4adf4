"""Writes of the operations area: imports of ticket histories, and tickets' events."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from servicegate.core.permissions import require_capability
from servicegate.core.statistics import analyze
from servicegate.importers import events, servicenow, tickets
from servicegate.importers.errors import ImportFailure
from servicegate.importers.mapping import load as load_mapping
from servicegate.importers.reading import ByteProgress
from servicegate.importers.staging import Staging
from servicegate.importers.writer import write
from servicegate.operations.choices import ImportFormat
from servicegate.operations.models import ImportRun, Ticket, TicketEvent
from servicegate.operations.ticket_services import tickets_changed

FORMATS = tuple(ImportFormat.values)


@dataclass
class ImportSummary:
    """What one import read and stored (the ``--json`` output)."""

    file: str
    format: str
    source: str
    rows: int
    tickets_created: int
    tickets_updated: int
    events_created: int
    rejected: int
    tickets_total: int
    events_total: int
    seconds: float
    dry_run: bool = False
    rejected_file: str = ""
    #: Rows identical to an earlier row of the file: skipped, they add nothing.
    duplicates_skipped: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _DryRun(Exception):
    """Raised to roll a dry run back after everything was written."""


def tickets_import(
    *,
    format: str,
    path: Path,
    mapping: str = "",
    timezone: str = "",
    encoding: str = "",
    skip_invalid: bool = False,
    dry_run: bool = False,
    rejected_path: Path | None = None,
    by: User | None = None,
    progress: ByteProgress | None = None,
    stage_message: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import the file at ``path`` in ``format``; all-or-nothing unless ``skip_invalid``.

    Raises :class:`ImportFailure` for bad input: nothing of the file is stored then.
    With ``skip_invalid`` the valid rows are stored and the rejected ones written with
    their reasons to ``rejected_path`` (default ``<name>.rejected.csv`` beside the file).
    ``by`` is the user importing from the UI (needs ``import_data``); the CLI passes None.
    """
    if by is not None:
        require_capability(by, "import_data")
    started = time.perf_counter()
    staging = _parse(format, path, mapping, timezone, encoding, progress)
    rejected_file = ""
    if staging.errors:
        if not skip_invalid:
            raise ImportFailure.from_rows(staging.errors)
        rejected_file = str(_write_rejected(staging, rejected_path or rejected_path_for(path)))
    if stage_message:
        stage_message(_("storing"))
    summary: ImportSummary | None = None
    try:
        with transaction.atomic():
            result = write(staging, progress=stage_message)
            analyze(Ticket, TicketEvent)
            if not dry_run:
                if stage_message:
                    stage_message(_("updating the clocks"))
                tickets_changed(_touched(staging))
            summary = ImportSummary(
                file=staging.file,
                format=format,
                source=staging.source,
                rows=staging.rows,
                tickets_created=result.tickets_created,
                tickets_updated=result.tickets_updated,
                events_created=result.events_created,
                rejected=len(staging.rejected),
                duplicates_skipped=staging.duplicates,
                tickets_total=Ticket.objects.count(),
                events_total=TicketEvent.objects.count(),
                seconds=0.0,
                dry_run=dry_run,
                rejected_file=rejected_file,
            )
            summary.seconds = round(time.perf_counter() - started, 3)
            if dry_run:
                raise _DryRun
            _record(summary, by)
    except _DryRun:
        pass
    assert summary is not None
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _touched(staging: Staging) -> list[int]:
    """Ids of the tickets a stored staging named: all of its source after a first import
    (written column by column), else those of its tickets."""
    tickets = Ticket.objects.filter(source=staging.source)
    if staging.columns is not None:
        return list(tickets.values_list("id", flat=True))
    names = list(staging.tickets)
    ids: list[int] = []
    for lo in range(0, len(names), 5_000):
        batch = tickets.filter(external_id__in=names[lo : lo + 5_000])
        ids.extend(batch.values_list("id", flat=True))
    return ids


def rejected_path_for(path: Path) -> Path:
    """Where --skip-invalid writes the rejected rows: ``<name>.rejected.csv`` beside ``path``."""
    return path.with_name(f"{path.stem}.rejected.csv")


def _parse(
    format: str,
    path: Path,
    mapping: str,
    timezone: str,
    encoding: str,
    progress: ByteProgress | None,
) -> Staging:
    if format == ImportFormat.SERVICENOW:
        if mapping:
            raise ImportFailure(
                _(
                    "The servicenow format needs no --mapping; use `servicegate import events"
                    " --mapping …` for other event logs."
                )
            )
        return servicenow.parse(
            path,
            timezone=timezone or "UTC",
            encoding=encoding or "utf-8-sig",
            progress=progress,
        )
    if format not in FORMATS:
        raise ImportFailure(
            _("Unknown import format %(format)r; use one of %(formats)s.")
            % {"format": format, "formats": ", ".join(FORMATS)}
        )
    if not mapping:
        raise ImportFailure(
            _(
                "The %(format)s format needs --mapping MAP.toml (or a shipped mapping:"
                " bpi2013-volvo-it, helpdesk-4tu, nyc-311)."
            )
            % {"format": format}
        )
    loaded = load_mapping(mapping, expected_format=format)
    if format == ImportFormat.EVENTS:
        return events.parse(
            path, mapping=loaded, timezone=timezone, encoding=encoding, progress=progress
        )
    return tickets.parse(
        path, mapping=loaded, timezone=timezone, encoding=encoding, progress=progress
    )


def _write_rejected(staging: Staging, target: Path) -> Path:
    try:
        handle = target.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        raise ImportFailure(
            _(
                "Cannot write the rejected rows to %(path)s (%(error)s); nothing was imported."
                " Make the folder writable or copy the file to a writable folder."
            )
            % {"path": target, "error": exc.strerror}
        ) from None
    with handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "column", "reason", *staging.header])
        for item in staging.rejected:
            writer.writerow([item.error.line, item.error.column, item.error.reason, *item.row])
    return target


def _record(summary: ImportSummary, by: User | None) -> None:
    ImportRun.objects.create(
        format=summary.format,
        source=summary.source,
        file_name=summary.file[:255],
        rows=summary.rows,
        tickets_created=summary.tickets_created,
        tickets_updated=summary.tickets_updated,
        events_created=summary.events_created,
        rejected=summary.rejected,
        seconds=summary.seconds,
        created_by=by,
    )
