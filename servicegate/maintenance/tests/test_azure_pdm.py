"""The Azure PdM sample imported as life events (again: nothing new), and the backtest
of fits made before 2015-10-01 against the failures of October to December 2015."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from servicegate.importers.errors import ImportFailure
from servicegate.maintenance.backtest import backtest
from servicegate.maintenance.imports import azure_pdm_import
from servicegate.maintenance.models import Component, LifeEvent
from servicegate.operations.models import Asset

pytestmark = pytest.mark.django_db


def test_import_twice_adds_nothing(shared_data: Path) -> None:
    directory = shared_data / "azure-pdm"
    first = azure_pdm_import(by=None, directory=directory)
    assert (first.machines, first.asset_models, first.components) == (100, 4, 16)
    # 743 of the 761 failures coincide with a replacement: that is the repair, not a
    # preventive replacement
    assert (first.failures, first.replacements) == (761, 3286 - 743)
    assert first.events_created == LifeEvent.objects.count() == 761 + 3286 - 743
    again = azure_pdm_import(by=None, directory=directory)
    assert again.events_created == 0 and Asset.objects.count() == 100


def test_backtest_predicts_the_last_quarter_of_2015(shared_data: Path) -> None:
    azure_pdm_import(by=None, directory=shared_data / "azure-pdm")
    rows = backtest(
        cutoff=datetime(2015, 10, 1, tzinfo=UTC), until=datetime(2016, 1, 1, tzinfo=UTC)
    )
    assert [r.component for r in rows] == ["comp1", "comp2", "comp3", "comp4"]
    assert sum(r.actual for r in rows) == 180
    assert all(r.beta > 1 for r in rows)  # the components wear out
    # the documented figures (docs/preventive.md)
    assert sum(r.predicted for r in rows) == pytest.approx(130.3, abs=0.1)
    out = StringIO()
    call_command("maintenance_backtest", "--json", stdout=out)
    assert json.loads(out.getvalue())["actual"] == 180


def test_a_folder_without_the_sample_is_refused(tmp_path: Path, victor: User) -> None:
    with pytest.raises(CommandError, match=r"PdM_machines\.csv is missing") as refused:
        call_command("import_maintenance", "azure-pdm", str(tmp_path))
    assert refused.value.returncode == 2
    (tmp_path / "PdM_machines.csv").write_text("id,kind\n1,x\n")
    with pytest.raises(ImportFailure, match="lacks the columns machineID, model, age"):
        azure_pdm_import(by=None, directory=tmp_path)
    with pytest.raises(ImportFailure, match="does not allow importing"):
        azure_pdm_import(by=victor, directory=tmp_path)
    assert Component.objects.count() == 0


def test_backtest_without_data_says_what_to_do() -> None:
    with pytest.raises(CommandError, match="import life data first") as refused:
        call_command("maintenance_backtest")
    assert refused.value.returncode == 2
