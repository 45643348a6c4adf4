"""`servicegate backup FILE`: a consistent backup of the database while it runs."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from servicegate.core.backup import BackupRefused, backup_create


class Command(BaseCommand):
    help = "Back up the database to FILE (SQLite online backup, or pg_dump on PostgreSQL)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the backup file to write")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).resolve()
        try:
            what = backup_create(path=path, force=options["force"])
        except BackupRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"Wrote {what} to {path} ({path.stat().st_size:,} bytes).")
