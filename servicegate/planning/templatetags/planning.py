"""Template filters of planning."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """A share 0..1 as a localised percentage, e.g. 0.8883 → "88.8 %"; None → "—"."""
    if value is None:
        return "—"
    return f"{number_format(round(100 * float(value), digits), digits)} %"
