"""How much of a promise's scope is measured: clocks not started and coverage.

Every ticket a promise applies to carries a clock row, started or not; attainment counts
only the decided ones. ``coverage`` is decided clocks / tickets in scope, so that a
start rule that many tickets never reach (e.g. a "New" status an imported log rarely
records) shows as a gap instead of silently shrinking the measured base. The counts are
over all time: a clock that has not started has no period to count in.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q

from servicegate.measurement.choices import ClockState, GroupBy
from servicegate.measurement.models import Clock

#: The clock column (or relation) each attainment grouping reads.
CLOCK_FIELDS: dict[str, str] = {
    GroupBy.PROMISE: "promise_id",
    GroupBy.PRODUCT: "promise__product__name",
    GroupBy.SEGMENT: "promise__segment__name",
    GroupBy.CUSTOMER: "customer__name",
    GroupBy.TEAM: "team",
    GroupBy.CHANNEL: "channel",
    GroupBy.PRIORITY: "priority",
}


def undecided_counts(
    group_by: str, promises: Sequence[int] | None = None
) -> dict[str, tuple[int, int]]:
    """Per group (keyed like attainment rows): ``(undecided clocks, not started)``.

    Undecided clocks (running, paused or not started) have no ``decided_at``; the partial
    index ``clock_undecided_idx`` holds only them, so the decided ones are never read.
    """
    field = CLOCK_FIELDS[group_by]
    clocks = Clock.objects.filter(decided_at__isnull=True)
    if promises is not None:
        clocks = clocks.filter(promise_id__in=list(promises))
    rows = (
        clocks.values(field)
        .annotate(
            undecided=Count("id"),
            not_started=Count("id", filter=Q(state=ClockState.NOT_STARTED)),
        )
        .order_by(field)
    )
    return {str(r[field] or "–"): (r["undecided"], r["not_started"]) for r in rows}


def undecided_counts_per_promise() -> dict[int, tuple[int, int]]:
    """``undecided_counts`` per promise id."""
    return {int(k): v for k, v in undecided_counts(GroupBy.PROMISE).items() if k.isdigit()}
