"""A recomputation rewrites only the clocks whose values changed, and the per-day summary
only of the promises whose decided clocks changed; the result equals a fresh computation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from servicegate.measurement import summarycounts
from servicegate.measurement.models import Clock, ClockGroupSummary, ClockSummary
from servicegate.measurement.services import clocks_recompute, summary_rebuild
from servicegate.measurement.tests.conftest import NOW, T0
from servicegate.operations.models import TicketEvent


def _rows() -> dict[tuple[int, int], tuple[Any, ...]]:
    fields = ("state", "deadline", "business_elapsed_s", "breached", "decided_at", "cause")
    return {
        (c["ticket_id"], c["promise_id"]): tuple(c[f] for f in fields)
        for c in Clock.objects.values("ticket_id", "promise_id", *fields)
    }


def _summary() -> list[tuple[Any, ...]]:
    """Both summaries' rows, in order."""
    days = ("promise_id", "day", "priority", "channel", "cause")
    groups = ("promise_id", "period", "start", "customer_id", "team")
    return list(ClockSummary.objects.order_by(*days).values_list(*days, "n", "met")) + list(
        ClockGroupSummary.objects.order_by(*groups).values_list(*groups, "n", "met")
    )


def _world(make_promise: Callable[..., Any], make_ticket: Callable[..., Any]) -> list[Any]:
    quick = make_promise(target_value=Decimal(4))
    first = make_promise(metric="first_response", target_value=Decimal(1))
    make_ticket("T-1", [(0, "new"), (30, "in_progress"), (90, "resolved")])
    make_ticket("T-2", [(0, "new"), (60, "awaiting_customer"), (400, "resolved")])
    make_ticket("T-3", [(0, "new"), (20, "in_progress")])  # still open
    make_ticket("T-4", [(0, "new"), (10, "in_progress"), (500, "resolved")])
    return [quick, first]


def test_an_unchanged_recompute_writes_nothing(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    _world(make_promise, make_ticket)
    first = clocks_recompute(now=NOW)
    assert first.written == first.clocks > 0
    ids = set(Clock.objects.values_list("pk", flat=True))
    summary = _summary()

    again = clocks_recompute(now=NOW)

    assert (again.clocks, again.written) == (first.clocks, 0)
    assert set(Clock.objects.values_list("pk", flat=True)) == ids  # the same rows
    assert _summary() == summary


def test_open_clocks_are_rewritten_as_time_passes(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    _world(make_promise, make_ticket)
    clocks_recompute(now=NOW)
    open_before = Clock.objects.get(ticket__number="T-3", promise__metric="resolution")

    later = clocks_recompute(now=NOW + timedelta(hours=2))

    # only the open ticket's resolution clock runs on; its response clock is decided
    assert later.written == 1
    open_after = Clock.objects.get(ticket__number="T-3", promise__metric="resolution")
    assert open_after.elapsed_s == open_before.elapsed_s + 2 * 3600
    assert open_after.pk != open_before.pk


def test_a_changed_target_rewrites_that_promise_and_its_summary(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    quick, first = _world(make_promise, make_ticket)
    clocks_recompute(now=NOW)
    response_ids = set(Clock.objects.filter(promise=first).values_list("pk", flat=True))
    quick.target_value = Decimal(8)  # T-2 (6 h 40 min) is now met, T-4 (8 h 20 min) not
    quick.save()

    result = clocks_recompute(now=NOW)

    assert result.written == Clock.objects.filter(promise=quick).count()
    assert set(Clock.objects.filter(promise=first).values_list("pk", flat=True)) == response_ids
    states = dict(Clock.objects.filter(promise=quick).values_list("ticket__number", "state"))
    assert states["T-2"] == "met" and states["T-4"] == "missed"
    # the summary kept in step with the clocks: equal to one rebuilt from scratch
    kept = _summary()
    summary_rebuild()
    assert _summary() == kept


def test_a_new_event_changes_only_its_ticket(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    _world(make_promise, make_ticket)
    clocks_recompute(now=NOW)
    t3 = Clock.objects.filter(ticket__number="T-3").first()
    assert t3 is not None
    TicketEvent.objects.create(
        ticket_id=t3.ticket_id, seq=3, at=T0 + timedelta(minutes=100), status="resolved"
    )

    result = clocks_recompute(now=NOW)

    assert result.written == 1  # T-3's resolution clock, now met
    assert Clock.objects.get(ticket__number="T-3", promise__metric="resolution").state == "met"
    kept = _summary()
    summary_rebuild()
    assert _summary() == kept


@pytest.mark.parametrize("batch", [1, 1_000_000], ids=["a key per statement", "one statement"])
def test_changed_only_equals_a_fresh_computation(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
) -> None:
    # stored clocks are counted and deleted by key, in batches of KEY_BATCH keys
    monkeypatch.setattr(summarycounts, "KEY_BATCH", batch)
    quick, _ = _world(make_promise, make_ticket)
    clocks_recompute(now=NOW)
    quick.target_value = Decimal(2)
    quick.save()
    clocks_recompute(now=NOW)
    incremental, summary = _rows(), _summary()

    Clock.objects.all().delete()
    ClockSummary.objects.all().delete()
    clocks_recompute(now=NOW)

    assert _rows() == incremental
    assert _summary() == summary
    summary_rebuild()  # both summaries are what the clock table counts
    assert _summary() == summary


def test_a_first_computation_starts_the_summary_afresh(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    quick, _ = _world(make_promise, make_ticket)
    clocks_recompute(now=NOW)
    expected = _summary()
    Clock.objects.all().delete()
    ClockSummary.objects.create(promise=quick, day=T0.date(), n=7, met=7)  # left over
    ClockGroupSummary.objects.create(promise=quick, period="month", start=T0.date(), n=7, met=7)

    clocks_recompute(now=NOW)

    assert _summary() == expected


def test_summary_keys_that_drop_to_nothing_lose_their_row(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    quick, _ = _world(make_promise, make_ticket)
    clocks_recompute(now=NOW)
    met_keys = ClockSummary.objects.filter(promise=quick, cause="").count()
    assert met_keys
    quick.target_value = Decimal("0.1")  # six minutes: every resolution clock breaches
    quick.save()

    clocks_recompute(now=NOW)

    assert not ClockSummary.objects.filter(promise=quick, cause="").exists()
    assert not ClockSummary.objects.filter(n__lte=0).exists()
    kept = _summary()
    summary_rebuild()
    assert _summary() == kept


def test_a_first_computation_leaves_the_indexes_in_place(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    _world(make_promise, make_ticket)
    clocks_recompute(now=NOW)
    with connection.cursor() as cursor:
        names = {
            index
            for index, info in connection.introspection.get_constraints(
                cursor, Clock._meta.db_table
            ).items()
            if info["index"]
        }
    assert {"clock_at_risk_idx", "clock_attainment_idx"} <= names
