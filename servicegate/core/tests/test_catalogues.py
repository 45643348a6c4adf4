"""Every German catalogue is complete: no untranslated or fuzzy entries, valid formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("*/locale/de/LC_MESSAGES/django.po"))


def test_every_app_with_strings_has_a_german_catalogue() -> None:
    apps = {p.parts[-5] for p in CATALOGUES}
    assert {"core", "accounts", "calendars", "catalog", "promises", "operations"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete(path: Path) -> None:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    assert not catalogue.fuzzy, f"{path}: the header is marked fuzzy"
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [], f"{path}: untranslated {untranslated[:5]}"
    assert fuzzy == [], f"{path}: fuzzy {fuzzy[:5]}"
    errors = [(m.id, e) for m, e in catalogue.check() if e]
    assert errors == [], f"{path}: {errors[:3]}"


TRANSLATE = re.compile(r'{% translate "([^"]+)" %}')


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_template_string_is_in_its_apps_catalogue(path: Path) -> None:
    """A `{% translate %}` added to a template without running makemessages is caught."""
    app = path.parents[3]
    with path.open("rb") as handle:
        known = {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}
    found = {
        text.replace("%", "%%")  # as makemessages writes template strings
        for template in (app / "templates").rglob("*.html")
        for text in TRANSLATE.findall(template.read_text(encoding="utf-8"))
    }
    assert sorted(found - known) == []
