"""What the clocks of some tickets are computed from, read from the ticket and event tables.

Per chunk of tickets three ordered queries: the tickets' clock-relevant fields
(``frames.load_tickets``), a digest of their labels (``frames.load_labels``) and their
events in clock order (:func:`events_of`). Instants arrive as epoch seconds, statuses
and priorities as codes, each result concatenated by the database into one value per
column, so the driver builds no Python object per ticket or event (see ``frames``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from django.db.models import QuerySet

from servicegate.measurement.frames import (
    LABELS,
    EventFrame,
    IntArray,
    TicketFrame,
    id_set,
    load_events,
    load_labels,
    load_tickets,
)
from servicegate.operations.models import Ticket, TicketEvent

# Below this share of their id range, tickets' events are read by id, in batches of
# ID_BATCH (a few tickets among a million); from NEARLY_ALL on, for the whole range.
SPARSE = 0.05
NEARLY_ALL = 0.8
ID_BATCH = 20_000
EVENT_FIELDS = tuple(f.name for f in fields(EventFrame))
_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Inputs:
    """What the clocks of some tickets are computed from: the tickets (sorted by id),
    their events in clock order and a digest of each ticket's labels."""

    tickets: TicketFrame
    events: EventFrame
    label_hash: IntArray


def ticket_inputs(tickets: QuerySet[Ticket]) -> Inputs:
    """The clock inputs of ``tickets``."""
    frame = load_tickets(tickets)
    labels = load_labels(tickets, frame.id, LABELS)
    return Inputs(frame, events_of(frame.id, tickets), labels.hash)


def events_of(ids: IntArray, among: QuerySet[Ticket] | None = None) -> EventFrame:
    """Events of the tickets ``ids`` (sorted; all in ``among``, if given).

    When the ids fill a good part of their range, one query over the range (limited to
    the tickets of ``among`` unless they fill nearly all of it, so the database converts
    no other ticket's events); else id batches of ``ID_BATCH``.
    """
    if not ids.size:
        return EventFrame(_EMPTY, _EMPTY, _EMPTY, _EMPTY)
    lo, hi = int(ids[0]), int(ids[-1])
    if ids.size > SPARSE * (hi - lo + 1):
        events = TicketEvent.objects.filter(ticket_id__gte=lo, ticket_id__lte=hi)
        if among is not None and ids.size < NEARLY_ALL * (hi - lo + 1):
            events = events.filter(ticket_id__in=among.order_by().values("id"))
        loaded = load_events(events)
        keep = np.isin(loaded.ticket, ids)
        if keep.all():
            return loaded
        return EventFrame(*(getattr(loaded, f)[keep] for f in EVENT_FIELDS))
    parts = [
        load_events(TicketEvent.objects.filter(ticket_id__in=id_set(batch)))
        for batch in np.array_split(ids, -(-ids.size // ID_BATCH))
    ]
    return EventFrame(*(np.concatenate([getattr(p, f) for p in parts]) for f in EVENT_FIELDS))
