"""`servicegate import`: --json summary, --dry-run, exit code 2 for bad input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from servicegate.importers.tests.conftest import read_rows, write_csv
from servicegate.operations.models import ImportRun, Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

KEYS = {
    "rows",
    "tickets_created",
    "tickets_updated",
    "events_created",
    "rejected",
    "tickets_total",
    "events_total",
    "seconds",
}


def test_json_prints_one_summary_object(uci_slice: Path) -> None:
    out = StringIO()
    call_command("import", "servicenow", str(uci_slice), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert set(summary) >= KEYS
    assert summary["events_created"] == summary["events_total"] == 2000
    assert ImportRun.objects.get().events_created == 2000


def test_dry_run_stores_nothing(uci_slice: Path) -> None:
    out = StringIO()
    call_command("import", "servicenow", str(uci_slice), "--dry-run", stdout=out)
    assert "dry run, nothing stored" in out.getvalue()
    assert not Ticket.objects.exists() and not ImportRun.objects.exists()


def test_bad_input_exits_with_code_2(uci_slice: Path, tmp_path: Path) -> None:
    rows = read_rows(uci_slice)
    rows[3][rows[0].index("opened_at")] = "31/2/2016 10:00"
    bad = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(CommandError) as failure:
        call_command("import", "servicenow", str(bad))
    assert failure.value.returncode == 2
    assert "bad.csv, line 4, column 'opened_at'" in str(failure.value)


def test_events_without_mapping_says_what_to_do(uci_slice: Path) -> None:
    with pytest.raises(CommandError, match="needs --mapping") as failure:
        call_command("import", "events", str(uci_slice))
    assert failure.value.returncode == 2
