"""Packed timelines: built from the tickets and their events, deleted by the database on
every new event, every change of a packed ticket field and with the ticket, and equal to
reading the tickets and events themselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.db import connection

from servicegate.importers.writer import EVENT_FIELDS, insert_columns
from servicegate.measurement import frames, timelines
from servicegate.measurement.frames import (
    LABELS,
    EventFrame,
    load_events,
    load_labels,
    load_tickets,
)
from servicegate.measurement.models import Clock
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0
from servicegate.measurement.timelines import FORMAT, ticket_inputs
from servicegate.operations.models import Ticket, TicketEvent, TicketTimeline

FIELDS = ("ticket", "at", "status", "priority")


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


def _format(ticket: Ticket) -> int:
    """The header of a stored timeline."""
    data = TicketTimeline.objects.get(ticket=ticket).data
    return int.from_bytes(bytes(data)[:8], "little")


def _stored(ticket: Ticket) -> bool:
    """Whether the ticket has a stored timeline."""
    return TicketTimeline.objects.filter(ticket_id=ticket.pk).exists()


def _ids() -> np.ndarray:
    return np.array(sorted(Ticket.objects.values_list("pk", flat=True)), dtype=np.int64)


def ticket_events(tickets: Any, ids: np.ndarray) -> EventFrame:
    """The events of the tickets ``ids`` among ``tickets``, from their timelines."""
    return ticket_inputs(tickets.filter(pk__in=ids.tolist())).events


def test_timelines_are_built_stored_and_read_back_equal(make_ticket: Callable[..., Any]) -> None:
    _world(make_ticket)
    # events stored out of time order: sequence 1 is the later one
    late = make_ticket("T-5", [(0, "new")])
    TicketEvent.objects.create(ticket=late, seq=2, at=T0 - timedelta(minutes=5), status="new")
    expected = load_events(TicketEvent.objects.all())
    assert not TicketTimeline.objects.exists()

    built = ticket_events(Ticket.objects.all(), _ids())

    _same(built, expected)
    assert TicketTimeline.objects.count() == Ticket.objects.count()
    assert _format(Ticket.objects.get(number="T-1")) == FORMAT
    # the second read comes from the stored timelines alone
    _same(ticket_events(Ticket.objects.all(), _ids()), expected)
    # the late event comes first in T-5's timeline
    t5 = built.ticket == late.pk
    assert built.at[t5].tolist() == sorted(built.at[t5].tolist())


def test_the_ticket_fields_and_labels_come_back_as_read_from_the_tickets(
    make_ticket: Callable[..., Any],
) -> None:
    _world(make_ticket)
    Ticket.objects.filter(number="T-2").update(assignment_group="Field", channel="on_site")
    Ticket.objects.filter(number="T-3").update(reassignment_count=4, source_made_sla=False)
    expected = load_tickets(Ticket.objects.all())
    labels = load_labels(Ticket.objects.all(), expected.id, LABELS)

    for _ in range(2):  # built, then read back from the stored timelines
        inputs = ticket_inputs(Ticket.objects.all())
        for name, value in vars(expected).items():
            np.testing.assert_array_equal(getattr(inputs.tickets, name), value, err_msg=name)
        np.testing.assert_array_equal(inputs.label_hash, labels.hash)
    t1, t2, _, t4 = labels.hash.tolist()
    assert t1 == t4 != t2  # T-2's team and channel differ, T-1's and T-4's are the same


@pytest.mark.parametrize(
    "change",
    [
        {"priority": "P1"},
        {"kind": "request"},
        {"assignment_group": "Field"},
        {"channel": "on_site"},
        {"reassignment_count": 5},
        {"source_made_sla": True},
        {"responded_at": T0 + timedelta(minutes=3)},
        {"opened_at": T0 - timedelta(minutes=3)},
    ],
    ids=lambda change: next(iter(change)),
)
def test_a_changed_ticket_field_empties_the_timeline(
    make_ticket: Callable[..., Any], change: dict[str, Any]
) -> None:
    t1, t2, *_ = _world(make_ticket)
    ticket_inputs(Ticket.objects.all())
    Ticket.objects.filter(pk=t1.pk).update(**change)
    assert not _stored(t1)
    assert _stored(t2)
    # the same value again, or an unpacked field, leaves it
    ticket_inputs(Ticket.objects.all())
    Ticket.objects.filter(pk=t1.pk).update(**change, status="closed", category="Printers")
    assert _stored(t1)
    # a save through the model does as an update does
    ticket = Ticket.objects.get(pk=t2.pk)
    for field, value in change.items():
        setattr(ticket, field, value)
    ticket.save()
    assert not _stored(t2)
    inputs = ticket_inputs(Ticket.objects.all())
    fresh = load_tickets(Ticket.objects.all())
    for name, value in vars(fresh).items():
        np.testing.assert_array_equal(getattr(inputs.tickets, name), value, err_msg=name)


def test_a_deleted_ticket_takes_its_timeline(make_ticket: Callable[..., Any]) -> None:
    t1, t2, *_ = _world(make_ticket)
    # no events (nor clocks), so plain SQL may delete it
    lone = Ticket.objects.create(external_id="T-9", number="T-9", opened_at=T0)
    ticket_inputs(Ticket.objects.all())
    assert _stored(lone)
    with connection.cursor() as cursor:  # past Django's own cascade: the trigger's work
        table = connection.ops.quote_name(Ticket._meta.db_table)
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [lone.pk])
    assert not TicketTimeline.objects.filter(ticket_id=lone.pk).exists()
    assert _stored(t1) and _stored(t2)


def test_a_subset_of_tickets_reads_only_theirs(make_ticket: Callable[..., Any]) -> None:
    tickets = _world(make_ticket)
    some = np.array(sorted([tickets[0].pk, tickets[2].pk]), dtype=np.int64)
    events = ticket_events(Ticket.objects.all(), some)
    assert set(events.ticket.tolist()) == set(some.tolist())
    # only the tickets asked for were rebuilt
    assert set(TicketTimeline.objects.values_list("ticket_id", flat=True)) == set(some.tolist())


def test_a_new_event_empties_the_timeline(make_ticket: Callable[..., Any]) -> None:
    t1, t2, *_ = _world(make_ticket)
    ticket_events(Ticket.objects.all(), _ids())
    # through the ORM
    TicketEvent.objects.create(ticket=t1, seq=9, at=T0 + timedelta(hours=5), status="closed")
    assert not _stored(t1)
    assert _stored(t2)
    # through the importers' bulk writer
    values = {"ticket_id": t2.pk, "seq": 9, "at": _db_instant(T0 + timedelta(hours=6))}
    values |= {"status": "closed", "technician_id": None}
    insert_columns(TicketEvent, EVENT_FIELDS, [[values.get(f, "")] for f in EVENT_FIELDS])
    assert not _stored(t2)
    # and the next read includes both new events
    events = ticket_events(Ticket.objects.all(), _ids())
    _same(events, load_events(TicketEvent.objects.all()))


def _db_instant(value: Any) -> Any:
    from servicegate.importers.writer import datetime_adapter

    return datetime_adapter()(value)


def test_a_timeline_of_another_format_is_rebuilt(make_ticket: Callable[..., Any]) -> None:
    t1, *_ = _world(make_ticket)
    ticket_events(Ticket.objects.all(), _ids())
    TicketTimeline.objects.filter(ticket=t1).update(data=(FORMAT + 1).to_bytes(8, "little"))
    _same(ticket_events(Ticket.objects.all(), _ids()), load_events(TicketEvent.objects.all()))
    assert _format(Ticket.objects.get(pk=t1.pk)) == FORMAT


def test_recompute_gives_the_same_clocks_from_timelines(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    make_promise()
    make_promise(metric="first_response", target_value=1)
    _world(make_ticket)

    def clocks() -> list[tuple[Any, ...]]:
        return list(
            Clock.objects.order_by("ticket_id", "promise_id").values_list(
                "ticket_id", "promise_id", "state", "deadline", "business_elapsed_s", "paused_s"
            )
        )

    first = clocks_recompute(now=NOW)  # timelines built from the events
    before = clocks()
    Clock.objects.all().delete()
    second = clocks_recompute(now=NOW)  # timelines read
    assert first.clocks == second.clocks == len(before) > 0
    assert clocks() == before


def test_without_concatenation_rows_are_read_one_by_one(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the database refuses to concatenate (a result beyond one value's size), the
    row-by-row reads give the same events, timelines and clocks."""
    make_promise()
    _world(make_ticket)
    clocks_recompute(now=NOW)
    expected = load_events(TicketEvent.objects.all())
    before = list(Clock.objects.order_by("pk").values_list("ticket_id", "state", "deadline"))
    Clock.objects.all().delete()
    TicketTimeline.objects.all().delete()

    monkeypatch.setattr(frames, "aggregate_row", lambda sql, params: None)
    monkeypatch.setattr(timelines, "aggregate_row", lambda sql, params: None)

    _same(load_events(TicketEvent.objects.all()), expected)
    _same(ticket_events(Ticket.objects.all(), _ids()), expected)  # rebuilt and stored
    _same(ticket_events(Ticket.objects.all(), _ids()), expected)  # read back
    clocks_recompute(now=NOW)
    after = list(Clock.objects.order_by("pk").values_list("ticket_id", "state", "deadline"))
    assert after == before


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
