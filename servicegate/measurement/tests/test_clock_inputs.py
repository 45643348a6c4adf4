"""The clock inputs: tickets, labels and events read as the tables hold them, on every
read path (concatenated or row by row, whole ranges, id batches, several chunks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from servicegate.measurement import frames, inputs, services
from servicegate.measurement.frames import (
    LABELS,
    EventFrame,
    load_events,
    load_labels,
    load_tickets,
)
from servicegate.measurement.inputs import events_of, ticket_inputs
from servicegate.measurement.models import Clock
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0
from servicegate.operations.models import Ticket, TicketEvent

FIELDS = ("ticket", "at", "status", "priority")
STATUSES = ("new", "assigned", "in_progress", "awaiting_customer", "resolved", "closed")


def _same(a: EventFrame, b: EventFrame) -> None:
    for f in FIELDS:
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f)


def _world(make_ticket: Callable[..., Ticket]) -> list[Ticket]:
    return [
        make_ticket("T-1", [(0, "new"), (30, "in_progress"), (90, "resolved")]),
        # two events in the same second: their order is their sequence number
        make_ticket("T-2", [(0, "new"), (10, "assigned"), (10, "in_progress"), (50, "resolved")]),
        make_ticket("T-3", [(0, "new", "P1"), (20, "awaiting_customer", "P3"), (70, "resolved")]),
        make_ticket("T-4", [(0, "new")]),
    ]


def _ids() -> np.ndarray:
    return np.array(sorted(Ticket.objects.values_list("pk", flat=True)), dtype=np.int64)


def _clocks() -> list[tuple[Any, ...]]:
    return list(
        Clock.objects.order_by("ticket_id", "promise_id").values_list(
            "ticket_id", "promise_id", "state", "deadline", "business_elapsed_s", "paused_s"
        )
    )


def test_inputs_are_the_tickets_labels_and_events_in_clock_order(
    make_ticket: Callable[..., Any],
) -> None:
    _world(make_ticket)
    Ticket.objects.filter(number="T-2").update(assignment_group="Field", channel="on_site")
    Ticket.objects.filter(number="T-3").update(reassignment_count=4, source_made_sla=False)
    # events stored out of time order: sequence 1 is the later one
    late = make_ticket("T-5", [(0, "new")])
    TicketEvent.objects.create(ticket=late, seq=2, at=T0 - timedelta(minutes=5), status="new")
    got = ticket_inputs(Ticket.objects.all())
    expected = load_tickets(Ticket.objects.all())
    for name, value in vars(expected).items():
        np.testing.assert_array_equal(getattr(got.tickets, name), value, err_msg=name)
    labels = load_labels(Ticket.objects.all(), expected.id, LABELS)
    np.testing.assert_array_equal(got.label_hash, labels.hash)
    t1, t2, _, t4, _ = labels.hash.tolist()
    assert t1 == t4 != t2  # T-2's team and channel differ, T-1's and T-4's are the same
    _same(got.events, load_events(TicketEvent.objects.all()))
    t5 = got.events.ticket == late.pk
    assert got.events.at[t5].tolist() == sorted(got.events.at[t5].tolist())


def test_without_concatenation_rows_are_read_one_by_one(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the database refuses to concatenate (a result beyond one value's size), the
    row-by-row reads give the same events and clocks."""
    make_promise()
    _world(make_ticket)
    clocks_recompute(now=NOW)
    expected = load_events(TicketEvent.objects.all())
    before = _clocks()
    Clock.objects.all().delete()
    monkeypatch.setattr(frames, "aggregate_row", lambda sql, params: None)
    _same(load_events(TicketEvent.objects.all()), expected)
    _same(ticket_inputs(Ticket.objects.all()).events, expected)
    clocks_recompute(now=NOW)
    assert _clocks() == before


def test_events_the_database_concatenates_out_of_order_are_sorted(
    make_ticket: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No standard promises that an aggregate sees rows in the query's order: rows that
    come back out of order are put in clock order (ticket, instant, sequence)."""
    _world(make_ticket)
    expected = load_events(TicketEvent.objects.all())
    real = frames.int_rows

    def shuffled(qs: Any, width: int, *, ordered: bool = True) -> np.ndarray:
        rows = real(qs, width, ordered=ordered)
        return rows[::-1] if ordered is False else rows

    monkeypatch.setattr(frames, "int_rows", shuffled)
    _same(load_events(TicketEvent.objects.all()), expected)
    # and tickets out of id order come back sorted by id
    monkeypatch.setattr(frames, "int_rows", real)
    rows = frames.int_rows(Ticket.objects.order_by("-id").values_list("id", "priority"), 1)
    assert rows[:, 0].tolist() == sorted(Ticket.objects.values_list("id", flat=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_read_path_gives_what_the_plain_path_gives(
    seed: int,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Random tickets and events; small chunk and batch sizes make every branch of the
    reads run (sparse ids read in several id batches, a dense range limited to the
    wanted tickets, nearly all of a range read whole, a recomputation in many chunks),
    and each must give what one plain read of the whole table gives."""
    rng = np.random.default_rng(seed)
    make_promise(clock_pause_statuses=["awaiting_customer"])
    make_promise(metric="first_response", target_value=1)
    for n in range(40):
        steps = [(0, "new")]
        for _ in range(int(rng.integers(0, 5))):
            steps.append((steps[-1][0] + int(rng.integers(0, 200)), str(rng.choice(STATUSES))))
        make_ticket(f"R-{n}", steps, opened=T0 + timedelta(hours=int(rng.integers(0, 500))))
    ids = _ids()
    everything = load_events(TicketEvent.objects.all())
    clocks_recompute(now=NOW)
    plain = _clocks()

    monkeypatch.setattr(inputs, "ID_BATCH", 3)
    monkeypatch.setattr(inputs, "SPARSE", 0.3)
    branches = {"batches": 0, "range": 0}
    real_load = frames.load_events

    def counted(events: Any) -> EventFrame:
        sql = str(events.query)
        branches["range" if ">=" in sql else "batches"] += 1
        return real_load(events)

    monkeypatch.setattr(inputs, "load_events", counted)
    # sparse (several id batches), a range limited to the wanted, nearly all, all
    for share in (0.05, 0.1, 0.5, 0.9, 1.0):
        wanted = np.sort(rng.choice(ids, size=max(2, int(share * ids.size)), replace=False))
        keep = np.isin(everything.ticket, wanted)
        expected = EventFrame(*(getattr(everything, f)[keep] for f in FIELDS))
        _same(events_of(wanted, Ticket.objects.filter(pk__in=wanted.tolist())), expected)
        _same(events_of(wanted), expected)
    assert branches["batches"] >= 2 and branches["range"] >= 6

    Clock.objects.all().delete()
    monkeypatch.setattr(services, "CHUNK", 7)
    clocks_recompute(now=NOW)
    assert _clocks() == plain
    some = rng.choice(ids, size=5, replace=False).tolist()
    Clock.objects.filter(ticket_id__in=some).delete()
    clocks_recompute(tickets=some, now=NOW)
    assert _clocks() == plain

    # a few tickets named by id (a write's) have their stored clocks read by id, more
    # through a subquery: both find the missing, the changed and the current ones
    for few in (services.FEW, 0):
        monkeypatch.setattr(services, "FEW", few)
        some = rng.choice(ids, size=8, replace=False).tolist()
        Clock.objects.filter(ticket_id__in=some[:3]).delete()
        Clock.objects.filter(ticket_id__in=some[3:6]).update(business_elapsed_s=-1, fingerprint=0)
        clocks_recompute(tickets=iter(some), now=NOW)
        assert _clocks() == plain
