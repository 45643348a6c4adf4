"""The planning pages speak the whitepaper's German (completeness: core/tests/test_catalogues)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

APP = Path(__file__).resolve().parents[1]
PO = APP / "locale" / "de" / "LC_MESSAGES" / "django.po"


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


def test_the_whitepaper_vocabulary_is_used() -> None:
    catalogue = _catalogue()
    assert catalogue["Service level"] == "Servicegrad"
    assert catalogue["Forecast"] == "Prognose"
    assert catalogue["Staffing calculator"] == "Personalbedarfsrechner"
