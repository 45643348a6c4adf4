"""Which promises overlap: same metric, intersecting scope (reads only).

Two promises' scopes intersect when some ticket could fall under both: the same
segment, priorities that agree (equal, or one of them for every priority), customers
that agree (equal, or one of them for every customer) and contracts that agree.  Both
are then measured on the tickets they share (see ``measurement.applicability``); Gate 1
warns about it, and the feasibility check draws its history from them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from servicegate.promises.choices import PromiseState as S
from servicegate.promises.models import Promise

LIVE_STATES = (S.COMMITTED, S.IN_SERVICE, S.UNDER_REVIEW)


def _agree(field: str, value: object, unset: object = None) -> Q:
    """On the other promise the field is unset or equal; anything if unset on this one."""
    if value == unset:
        return Q()
    other_unset = Q(**{f"{field}__isnull": True}) if unset is None else Q(**{field: unset})
    return other_unset | Q(**{field: value})


def overlapping(promise: Promise, states: Iterable[str] = LIVE_STATES) -> QuerySet[Promise]:
    """Other promises in ``states`` with ``promise``'s metric whose scope intersects it.

    Never ``promise`` itself, nor the promise it revises (its successor replaces it).
    """
    qs = (
        Promise.objects.filter(
            metric=promise.metric,
            custom_metric=promise.custom_metric,
            segment_id=promise.segment_id,
            state__in=list(states),
        )
        .filter(_agree("priority", promise.priority, ""))
        .filter(_agree("customer", promise.customer_id))
        .filter(_agree("contract", promise.contract_id))
        .exclude(pk=promise.pk)
    )
    if promise.replaces_id is not None:
        qs = qs.exclude(pk=promise.replaces_id)
    return qs.order_by("pk")
