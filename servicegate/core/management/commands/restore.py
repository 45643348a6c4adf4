"""`servicegate restore FILE [--force]`: replace the database with a backup."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from servicegate.core.backup import BackupRefused, backup_restore
from servicegate.core.demo import database_holds_data


class Command(BaseCommand):
    help = (
        "Restore the database from FILE made by `servicegate backup`; a database that "
        "holds data is replaced only with --force. Stop the server and worker first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the backup file to restore")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).resolve()
        try:
            what = backup_restore(
                path=path, force=options["force"], holds_data=database_holds_data()
            )
        except BackupRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        call_command("migrate", verbosity=0, interactive=False)  # a backup of an older version
        self.stdout.write(f"{what.capitalize()}.")
