"""The shared date picker writes ISO dates in every language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from servicegate.core.widgets import DateInput


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_date_picker_value_is_iso_in_every_language(language: str) -> None:
    with translation.override(language):
        html = DateInput().render("day", dt.date(2026, 12, 4))
    assert 'type="date"' in html and 'value="2026-12-04"' in html
