"""The areas of Servicegate as they appear in the navigation (PRODUCT.md parts 1-8)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    """One top-level area: its URL name, label and one-line purpose."""

    key: str
    url_name: str
    label: str | Promise
    purpose: str | Promise


AREAS: tuple[Area, ...] = (
    Area(
        "catalog",
        "catalog:index",
        _("Service catalogue"),
        _("Service products with the four Ps, per customer segment."),
    ),
    Area(
        "promises",
        "promises:index",
        _("Promises & gates"),
        _("Service promises and the Service Quality Gates they pass."),
    ),
    Area(
        "operations",
        "operations:index",
        _("Operations"),
        _("Installed base, tickets and work orders with their clocks."),
    ),
    Area(
        "measurement",
        "measurement:index",
        _("Measurement"),
        _("Promise attainment, breaches and the at-risk list."),
    ),
    Area(
        "improvement",
        "improvement:index",
        _("Improvement (KVP)"),
        _("Findings and improvement actions through Plan-Do-Check-Act."),
    ),
    Area(
        "planning",
        "planning:index",
        _("Planning"),
        _("Forecast, staffing, reliability and preventive services."),
    ),
    Area(
        "maintenance",
        "maintenance:index",
        _("Preventive services"),
        _("Reliability of the installed base, preventive plans and the offers Sales can sell."),
    ),
    Area(
        "scheduling",
        "scheduling:index",
        _("Scheduling"),
        _("Day plans for technicians: skills, time windows and travel."),
    ),
    Area(
        "team",
        "team:index",
        _("Team"),
        _("Team board, skills matrix, reflection and delegation."),
    ),
)
