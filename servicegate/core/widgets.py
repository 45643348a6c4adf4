"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms

#: The only value format a browser's date picker reads, whatever the page's language.
ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``).

    Its value is always written as ISO (YYYY-MM-DD): a German page would otherwise write
    04.12.2026, which the browser refuses, showing an empty field.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
