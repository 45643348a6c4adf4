"""Every string of the planning pages has a German translation in the app's catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

APP = Path(__file__).resolve().parents[1]
PO = APP / "locale" / "de" / "LC_MESSAGES" / "django.po"
TRANSLATE = re.compile(r'{% translate "([^"]+)" %}')


def _text(value: object) -> str:
    """A message id or string; of a plural, the first form (empty if any form is)."""
    if isinstance(value, (tuple, list)):
        return str(value[0]) if all(value) else ""
    return str(value or "")


def _catalogue() -> dict[str, str]:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    assert not catalog.fuzzy
    return {_text(m.id): _text(m.string) for m in catalog if m.id and not m.fuzzy}


def test_every_message_is_translated() -> None:
    untranslated = [msgid for msgid, msgstr in _catalogue().items() if not msgstr]
    assert untranslated == []


def test_every_template_string_is_in_the_catalogue() -> None:
    catalogue = _catalogue()
    found = {
        text
        for template in (APP / "templates").rglob("*.html")
        for text in TRANSLATE.findall(template.read_text(encoding="utf-8"))
    }
    assert found and sorted(found - set(catalogue)) == []


def test_the_whitepaper_vocabulary_is_used() -> None:
    catalogue = _catalogue()
    assert catalogue["Service level"] == "Servicegrad"
    assert catalogue["Forecast"] == "Prognose"
    assert catalogue["Staffing calculator"] == "Personalbedarfsrechner"
