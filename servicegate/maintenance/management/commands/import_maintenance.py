"""`servicegate import maintenance azure-pdm DIR`: import reliability data of machines."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from servicegate.importers.errors import ImportFailure
from servicegate.maintenance.imports import azure_pdm_import


class Command(BaseCommand):
    help = (
        "Import reliability data of the installed base: azure-pdm DIR reads the Azure"
        " predictive-maintenance sample (machines, failures, component replacements; a"
        " replacement without a failure ends a censored life). Importing again adds nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("source", choices=["azure-pdm"])
        parser.add_argument("directory", type=Path, help="Folder with the PdM_*.csv files.")
        parser.add_argument("--json", action="store_true", help="Print one JSON summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = azure_pdm_import(by=None, directory=options["directory"])
        except ImportFailure as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        self.stdout.write(
            f"Imported {summary.machines} machines of {summary.asset_models} models:"
            f" {summary.failures} failures, {summary.replacements} preventive replacements"
            f" ({summary.events_created} new life events)."
        )
