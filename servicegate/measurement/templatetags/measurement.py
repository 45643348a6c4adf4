"""Template tags of measurement: the clock timelines of a ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from servicegate.measurement.models import Clock
from servicegate.operations.models import Ticket

register = template.Library()

COLOURS = {"run": "#0b5cab", "pause": "#9a6700", "stop": "#1a7f37", "breach": "#c62828"}


@dataclass(frozen=True)
class Segment:
    start: datetime
    width: float
    colour: str
    label: str


@dataclass(frozen=True)
class Timeline:
    clock: Clock
    segments: list[Segment]
    used_hours: float
    target_hours: float
    paused_hours: float


def _segments(clock: Clock, events: list[Any], end: datetime) -> list[Segment]:
    """Status stretches from the clock's start to its stop (or now), coloured by role."""
    promise = clock.promise
    start = clock.started_at
    if start is None or not events:
        return []
    stop = clock.stopped_at or end
    span = max((stop - start).total_seconds(), 1.0)
    pauses = set(promise.clock_pause_statuses or ())
    out = []
    for e, nxt in zip(events, [*events[1:], None], strict=True):
        a = max(e.at, start)
        b = min(nxt.at if nxt is not None else stop, stop)
        if b <= a:
            continue
        role = "pause" if e.status in pauses else "run"
        if clock.breach_at is not None and a >= clock.breach_at and role == "run":
            role = "breach"
        label = str(e.get_status_display())
        out.append(Segment(a, round(100 * (b - a).total_seconds() / span, 2), COLOURS[role], label))
    return out


@register.simple_tag
def ticket_clock_timelines(ticket: Ticket) -> list[Timeline]:
    """Per clock of ``ticket``: its timeline segments and times in hours."""
    events = list(ticket.events.all())
    now = timezone.now()
    return [
        Timeline(
            clock,
            _segments(clock, events, now),
            clock.business_elapsed_s / 3600,
            clock.target_s / 3600,
            clock.paused_s / 3600,
        )
        for clock in Clock.objects.filter(ticket=ticket)
        .select_related("promise")
        .order_by("metric")
    ]
