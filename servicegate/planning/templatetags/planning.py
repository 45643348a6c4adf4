"""Template filters of planning."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import number_format

from servicegate.planning.capacity import promise_preventive_load
from servicegate.planning.feasibility import summary_lines
from servicegate.promises.models import Evidence, Promise

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """A share 0..1 as a localised percentage, e.g. 0.8883 → "88.8 %"; None → "—"."""
    if value is None:
        return "—"
    return f"{number_format(round(100 * float(value), digits), digits)} %"


@register.filter
def evidence_text(evidence: Evidence) -> str:
    """The text of ``evidence``; a stored feasibility result is rendered from its numbers
    in the reader's language (the stored text is the language of whoever attached it)."""
    try:
        result = evidence.feasibility_result
    except ObjectDoesNotExist:
        return evidence.text
    return " ".join(summary_lines(result.result, result.inputs))


@register.inclusion_tag("planning/_promise_load.html")
def preventive_capacity(promise: Promise) -> dict[str, object]:
    """The technician hours per week a preventive promise adds, with the capacity plan's
    what-if link (nothing for a product without preventive terms)."""
    load = promise_preventive_load(promise)
    return {"load": load, "extra_hours": f"{load.hours_per_week:.1f}" if load else ""}
