"""Customer satisfaction (CSAT) beside attainment, read from the area that collects it.

The function named by ``settings.SERVICEGATE_CSAT`` (dotted path; the customer portal
provides it) takes ``(group_by, *, keys, since, until)`` with ``group_by`` one of
:data:`CSAT_GROUPS` and answers ``{key: score}`` where a score has ``n`` (scores given),
``mean`` (mean score 1..5) and ``satisfied`` (share of 4 and 5). Measurement and
improvement read CSAT only through here, so they import no area that collects it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

#: What CSAT can be grouped by: the id of a customer, a service product or a promise.
CSAT_GROUPS = ("customer", "product", "promise")


@dataclass(frozen=True)
class CsatScore:
    """Customer satisfaction of one group: scores given, mean score, share of 4 and 5."""

    n: int
    mean: float | None
    satisfied: float | None


def csat_by(
    group_by: str,
    *,
    keys: Iterable[int] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[int, CsatScore]:
    """CSAT per customer, product or promise id (only ``keys`` if given; feedback given
    from ``since`` to ``until``, inclusive days); empty while no area collects CSAT."""
    if group_by not in CSAT_GROUPS:
        raise ValueError(group_by)
    path = getattr(settings, "SERVICEGATE_CSAT", "")
    if not path:
        return {}
    try:
        source: Any = import_string(path)
    except ImportError:
        return {}  # the area that collects feedback is not installed
    wanted = None if keys is None else sorted(set(keys))
    found = source(group_by, keys=wanted, since=since, until=until)
    return {int(k): CsatScore(int(v.n), v.mean, v.satisfied) for k, v in found.items()}
