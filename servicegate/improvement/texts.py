"""Sentences of the KVP register that are rendered when read, in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from servicegate.measurement.choices import BreachCause


def cause_label(cause: str) -> str:
    return str(BreachCause(cause).label) if cause in BreachCause.values else cause


def breach_title(promise: Any, cause: str, breaches: int, period: date) -> str:
    """ "5 breaches of “…” in 2026-03: waiting in the queue"."""
    return _("%(count)s breaches of “%(promise)s” in %(month)s: %(cause)s") % {
        "count": breaches,
        "promise": promise,
        "month": period.strftime("%Y-%m"),
        "cause": cause_label(cause),
    }
