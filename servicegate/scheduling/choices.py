"""Vocabularies of scheduling: why a ticket stayed out of a day plan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnassignedReason(models.TextChoices):
    """Why a ticket has no visit: the engine's codes, and ``no_location`` found before it."""

    NO_TECHNICIAN = "no_technician", _("No technician works that day.")
    NO_SKILL = "no_skill", _("No technician working that day holds the required skills.")
    WINDOW = (
        "window",
        _(
            "No technician can reach the site inside the time window and be back within the "
            "working hours."
        ),
    )
    CAPACITY = "capacity", _("The day is full: the technicians' hours leave no room for it.")
    NO_LOCATION = (
        "no_location",
        _("The site has no coordinates; add its latitude and longitude to plan a visit."),
    )
