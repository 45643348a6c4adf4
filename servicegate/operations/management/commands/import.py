"""`servicegate import <format> FILE`: import a ticket history (ServiceNow, event log, CSV)."""

from __future__ import annotations

import json
import os
import sys
from argparse import ArgumentParser
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from servicegate.importers.errors import ImportFailure
from servicegate.importers.reading import ByteProgress
from servicegate.operations.choices import ImportFormat
from servicegate.operations.services import ImportSummary, rejected_path_for, tickets_import


class Command(BaseCommand):
    help = (
        "Import a ticket history: servicenow (incident event log), events (CSV/XES event"
        " log with a mapping) or tickets (one row per ticket with a mapping). The import"
        " is all-or-nothing per file; importing the same file again changes nothing."
        " Messages are in English; set SERVICEGATE_LANGUAGE=de for German."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("format", choices=ImportFormat.values)
        parser.add_argument("file", type=Path, help="CSV, XES or a zip holding one.")
        parser.add_argument("--mapping", default="", help="Mapping TOML (path or shipped name).")
        parser.add_argument(
            "--timezone",
            default="",
            help="Zone of timestamps without offset (default: the mapping's, else UTC).",
        )
        parser.add_argument("--encoding", default="", help="File encoding (default UTF-8).")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows; write rejected rows to <name>.rejected.csv beside FILE.",
        )
        parser.add_argument("--rejected", type=Path, help="Where to write the rejected rows.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, store nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON summary object.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(_language()):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        with _progress_bar(path.name) as progress:
            try:
                summary = tickets_import(
                    format=options["format"],
                    path=path,
                    mapping=options["mapping"],
                    timezone=options["timezone"],
                    encoding=options["encoding"],
                    skip_invalid=options["skip_invalid"],
                    dry_run=options["dry_run"],
                    rejected_path=options["rejected"] or rejected_path_for(path),
                    progress=progress,
                )
            except ImportFailure as exc:
                raise CommandError(str(exc), returncode=2) from None
        self._report(summary, as_json=options["json"])

    def _report(self, summary: ImportSummary, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        values = summary.as_dict()
        if summary.dry_run:
            text = _(
                "Checked (dry run, nothing stored) %(file)s: %(rows)d rows, %(tickets_created)d"
                " tickets created, %(tickets_updated)d updated, %(events_created)d events"
                " created in %(seconds).2f s (%(tickets_total)d tickets and %(events_total)d"
                " events in total)."
            )
        else:
            text = _(
                "Imported %(file)s: %(rows)d rows, %(tickets_created)d tickets created,"
                " %(tickets_updated)d updated, %(events_created)d events created in"
                " %(seconds).2f s (%(tickets_total)d tickets and %(events_total)d events in"
                " total)."
            )
        self.stdout.write(text % values)
        if summary.duplicates_skipped:
            self.stdout.write(
                ngettext(
                    "%(duplicates_skipped)d identical duplicate row skipped.",
                    "%(duplicates_skipped)d identical duplicate rows skipped.",
                    summary.duplicates_skipped,
                )
                % values
            )
        if summary.rejected:
            self.stdout.write(
                _(
                    "%(rejected)d invalid rows were skipped; they are listed with their"
                    " reasons in %(rejected_file)s."
                )
                % values
            )


def _language() -> str | None:
    """The supported language named by SERVICEGATE_LANGUAGE, or None (English)."""
    try:
        return translation.get_supported_language_variant(
            os.environ.get("SERVICEGATE_LANGUAGE", "")
        )
    except LookupError:
        return None


def _progress_bar(name: str) -> AbstractContextManager[ByteProgress | None]:
    """A rich progress bar on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        return nullcontext(None)
    return _RichProgress(name)


class _RichProgress:
    def __init__(self, name: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        self._bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task(f"Reading {name}", total=None)

    def __enter__(self) -> ByteProgress:
        self._bar.start()
        return self._update

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def _update(self, done: int, total: int) -> None:
        self._bar.update(self._task, completed=done, total=total)
