"""The dashboard's panels, gathered from the apps named in settings.

``core`` imports no app: each app offers its panels as functions ``() -> Panel`` in
``<app>/dashboard.py`` and ``settings.SERVICEGATE_DASHBOARD_PANELS`` lists them in the
order they show. Sections below the key figures are personal: functions ``(user) ->
Panel`` listed in ``settings.SERVICEGATE_DASHBOARD_SECTIONS`` (the inbox is one).
A panel is a template and the context it renders with; a key figure
(a count and its label) uses ``figure_panel`` and the shared figure template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.functional import Promise
from django.utils.module_loading import import_string

FIGURE_TEMPLATE = "core/panels/figure.html"


@dataclass(frozen=True)
class Panel:
    """One panel of the dashboard: the template and the context it renders with."""

    template: str
    context: Mapping[str, object] = field(default_factory=dict)


def figure_panel(value: int, label: str | Promise) -> Panel:
    """A key figure: a count with its label."""
    return Panel(FIGURE_TEMPLATE, {"value": value, "label": label})


def dashboard_panels() -> list[Panel]:
    """The panels of ``SERVICEGATE_DASHBOARD_PANELS``, each read now, in that order."""
    return [import_string(path)() for path in settings.SERVICEGATE_DASHBOARD_PANELS]


def dashboard_sections(user: AbstractBaseUser | AnonymousUser) -> list[Panel]:
    """The personal sections of ``SERVICEGATE_DASHBOARD_SECTIONS`` for ``user``, in order."""
    return [import_string(path)(user) for path in settings.SERVICEGATE_DASHBOARD_SECTIONS]
