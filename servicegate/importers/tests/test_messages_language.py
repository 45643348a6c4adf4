"""Import errors speak the active language (English or German), naming file, line, column."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from servicegate.importers.errors import ImportFailure
from servicegate.operations.services import tickets_import

# The second update is dated 31 February: line 3, column sys_updated_at.
CSV = (
    "number,incident_state,sys_updated_at,opened_at\n"
    "INC1,New,1/3/2016 09:05,1/3/2016 09:00\n"
    "INC1,Active,31/2/2016 10:00,1/3/2016 09:00\n"
)
GERMAN = (
    "feb.csv, Zeile 3, Spalte 'sys_updated_at': das Datum '31/2/2016 10:00' ist nicht lesbar:"
    " den Tag gibt es in diesem Monat nicht. Nichts aus dieser Datei wurde importiert."
    " Korrigieren Sie die Datei"
)
ENGLISH = (
    "feb.csv, line 3, column 'sys_updated_at': cannot read the date '31/2/2016 10:00':"
    " day is out of range for month. Nothing of this file was imported. Correct the file"
)


@pytest.fixture
def feb(tmp_path: Path) -> Path:
    path = tmp_path / "feb.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.mark.parametrize(("language", "expected"), [("de", GERMAN), ("en", ENGLISH)])
def test_a_bad_row_is_reported_in_the_active_language(
    feb: Path, language: str, expected: str
) -> None:
    with translation.override(language), pytest.raises(ImportFailure) as failure:
        tickets_import(format="servicenow", path=feb)
    assert str(failure.value).startswith(expected)
    error = failure.value.errors[0]
    assert (error.file, error.line, error.column) == ("feb.csv", 3, "sys_updated_at")


def test_the_command_speaks_english_even_when_german_is_active(feb: Path) -> None:
    with translation.override("de"), pytest.raises(CommandError) as failure:
        call_command("import", "servicenow", str(feb))
    assert str(failure.value).startswith(ENGLISH)


def test_servicegate_language_switches_the_command_to_german(
    feb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVICEGATE_LANGUAGE", "de")
    with pytest.raises(CommandError) as failure:
        call_command("import", "servicenow", str(feb))
    assert str(failure.value).startswith(GERMAN)
    assert translation.get_language() == "en"  # the command's language does not leak


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("", "Imported good.csv: 1 rows, 1 tickets created"), ("de", "Importiert good.csv: 1 Zeilen")],
)
def test_the_summary_speaks_the_commands_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: str
) -> None:
    import io

    good = tmp_path / "good.csv"
    good.write_text(CSV.splitlines(keepends=True)[0] + CSV.splitlines(keepends=True)[1])
    monkeypatch.setenv("SERVICEGATE_LANGUAGE", language)
    out = io.StringIO()
    call_command("import", "servicenow", str(good), stdout=out)
    assert out.getvalue().startswith(expected)
