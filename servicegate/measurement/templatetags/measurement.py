"""Template tags of measurement: the clock bars of a ticket (one bar per clock, drawn
from the ticket's status events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from django import template
from django.utils import timezone

from servicegate.measurement.models import Clock
from servicegate.operations.models import Ticket

register = template.Library()

COLOURS = {"run": "#0b5cab", "pause": "#9a6700", "stop": "#1a7f37", "breach": "#c62828"}


@dataclass(frozen=True)
class ClockBarPart:
    """One stretch of a clock bar: a status from ``start``, ``width`` percent wide."""

    start: datetime
    width: str  # percent of the bar, as CSS wants it ("12.5", never localised)
    colour: str
    label: str


@dataclass(frozen=True)
class ClockBar:
    """The bar of one clock on the ticket page, with its times in hours."""

    clock: Clock
    parts: list[ClockBarPart]
    used_hours: float
    target_hours: float
    paused_hours: float
    deadline_at: str | None = None  # the deadline's position on the bar, in percent


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.2f}"


def _parts(clock: Clock, events: list[Any], end: datetime) -> tuple[list[ClockBarPart], str | None]:
    """Status stretches from the clock's start to its stop (or now), coloured by role.

    The bar reaches to the deadline if that lies later, so that the slack of a clock
    met early shows as blank; a stretch running over the breach instant is split there.
    Returns the parts and the deadline's position (percent of the bar), if any.
    """
    promise = clock.promise
    start = clock.started_at
    if start is None or not events:
        return [], None
    stop = clock.stopped_at or end
    last = max(stop, clock.deadline) if clock.deadline else stop
    span = max((last - start).total_seconds(), 1.0)
    pauses = set(promise.clock_pause_statuses or ())
    breach = clock.breach_at
    out = []
    for e, nxt in zip(events, [*events[1:], None], strict=True):
        a = max(e.at, start)
        b = min(nxt.at if nxt is not None else stop, stop)
        if b <= a:
            continue
        role = "pause" if e.status in pauses else "run"
        label = str(e.get_status_display())
        cuts = [a, *([breach] if breach is not None and a < breach < b else []), b]
        for lo, hi in pairwise(cuts):
            late = breach is not None and lo >= breach and role == "run"
            width = _percent((hi - lo).total_seconds(), span)
            out.append(ClockBarPart(lo, width, COLOURS["breach" if late else role], label))
    deadline = None
    if clock.deadline is not None and clock.deadline >= start:
        deadline = _percent((clock.deadline - start).total_seconds(), span)
    return out, deadline


@register.simple_tag
def ticket_clock_bars(ticket: Ticket) -> list[ClockBar]:
    """Per clock of ``ticket``: its bar (status stretches) and times in hours."""
    events = list(ticket.events.all())
    now = timezone.now()
    bars = []
    for clock in Clock.objects.filter(ticket=ticket).select_related("promise").order_by("metric"):
        parts, deadline = _parts(clock, events, now)
        bars.append(
            ClockBar(
                clock,
                parts,
                clock.business_elapsed_s / 3600,
                clock.target_s / 3600,
                clock.paused_s / 3600,
                deadline,
            )
        )
    return bars
