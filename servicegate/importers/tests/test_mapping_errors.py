"""A mapping file with a typo names the key and offers the closest valid key."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from servicegate.importers.errors import ImportFailure
from servicegate.importers.mapping import load

GOOD = """
format = "events"
[columns]
id = "Case ID"
timestamp = "Complete Timestamp"
status = "Activity"
"""


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_misspelt_column_key_is_named_with_the_closest_key(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("timestamp =", "timestmp ="))
    with pytest.raises(ImportFailure) as failure:
        load(path, expected_format="events")
    message = str(failure.value)
    assert "map.toml: unknown key 'columns.timestmp'." in message
    assert "Did you mean 'timestamp'?" in message


def test_a_misspelt_key_is_named_in_german(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("timestamp =", "timestmp ="))
    with translation.override("de"), pytest.raises(ImportFailure) as failure:
        load(path, expected_format="events")
    message = str(failure.value)
    assert message.startswith("map.toml: unbekannter Schlüssel 'columns.timestmp'.")
    assert "Meinten Sie 'timestamp'? Gültige Schlüssel in [columns]: id, number," in message


def test_a_misspelt_table_is_named_with_the_closest_table(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + '\n[statusses]\npause = ["Wait"]\n')
    with pytest.raises(ImportFailure, match=r"unknown key 'statusses'\. Did you mean 'statuses'\?"):
        load(path, expected_format="events")


def test_a_missing_required_column_key_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('status = "Activity"\n', ""))
    with pytest.raises(ImportFailure, match=r"\[columns\] needs the key 'status'"):
        load(path, expected_format="events")


def test_an_unknown_target_status_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + '\n[statuses.map]\nWait = "waiting"\n')
    with pytest.raises(ImportFailure, match="maps 'Wait' to 'waiting'"):
        load(path, expected_format="events")


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "format = events\n")
    with pytest.raises(ImportFailure, match=r"map\.toml: not valid TOML"):
        load(path, expected_format="events")


def test_a_mapping_for_another_format_is_refused() -> None:
    with pytest.raises(ImportFailure, match="is for `servicegate import tickets`"):
        load("nyc-311", expected_format="events")


def test_the_shipped_mappings_are_valid() -> None:
    assert load("bpi2013-volvo-it", expected_format="events").source == "bpi2013"
    assert load("helpdesk-4tu", expected_format="events").pause == frozenset({"Wait"})
    assert load("nyc-311", expected_format="tickets").channel == "on_site"
