"""Reads of scheduling: a day's jobs, technicians and travel times, and the saved plans.

Travel between two points is the engine's ``travel_matrix``: the great-circle
distance (haversine) times ``ROAD_FACTOR`` (1.3), driven at ``SPEED_KMH`` (60 km/h);
see docs/scheduling.md. Both are rough: a visit planned to the minute may be a
quarter of an hour off on the road.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from numpy.typing import NDArray

from servicegate.calendars.selectors import engine_calendar
from servicegate.engines.calendars import CalendarError, compile_calendar
from servicegate.engines.routing import ROAD_FACTOR, SPEED_KMH, Job, Tech, travel_matrix
from servicegate.operations.choices import (
    PREVENTIVE_KINDS,
    REACTIVE_KINDS,
    STOP_STATUSES,
    Channel,
)
from servicegate.operations.models import Ticket
from servicegate.scheduling.models import Absence, DayPlan, UnassignedTicket, Visit
from servicegate.team.models import Technician, TechnicianSkill

#: A work order without a planned duration takes this long.
DEFAULT_DURATION_MINUTES = 60
DAY = 86_400


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight of ``day`` and of the next day (``settings.TIME_ZONE``)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)


def day_tickets(day: dt.date) -> QuerySet[Ticket]:
    """Open on-site tickets to visit on ``day``.

    Preventive work orders whose window overlaps the day, and open reactive on-site
    tickets whose window (if any) overlaps it; with sites and skills loaded.
    """
    start, end = day_bounds(day)
    overlaps = {"window_start__lt": end, "window_end__gt": start}
    preventive = Ticket.objects.filter(kind__in=PREVENTIVE_KINDS, **overlaps)
    no_window_or_overlapping = (Q(window_start__isnull=True) | Q(window_start__lt=end)) & (
        Q(window_end__isnull=True) | Q(window_end__gt=start)
    )
    reactive = Ticket.objects.filter(no_window_or_overlapping, kind__in=REACTIVE_KINDS)
    return (
        (preventive | reactive)
        .filter(channel=Channel.ON_SITE)
        .exclude(status__in=STOP_STATUSES)
        .select_related("asset__site", "customer")
        .prefetch_related("required_skills")
        .order_by("pk")
    )


def technicians_for(ids: list[int] | None) -> list[Technician]:
    """Active technicians (all, or those of ``ids``) with base, calendar and skills."""
    qs = Technician.objects.filter(is_active=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(
        qs.select_related("calendar", "base")
        .prefetch_related(
            Prefetch(
                "technicianskill_set",
                queryset=TechnicianSkill.objects.select_related("skill"),
                to_attr="skill_links",
            )
        )
        .order_by("pk")
    )


def skill_names(tech: Technician) -> frozenset[str]:
    """Names of the skills in the technician's skills matrix (any level)."""
    return frozenset(link.skill.name for link in getattr(tech, "skill_links", []))


def shift_of(
    tech: Technician, day: dt.date, absences: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The technician's working span of ``day`` in seconds from local midnight.

    From the first opening to the last closing of the working calendar that day
    (holidays included); an absence cuts the span to its longest free stretch.
    None when the technician does not work that day.
    """
    start, end = day_bounds(day)
    lo, hi = int(start.timestamp()), int(end.timestamp())
    try:
        intervals = compile_calendar(engine_calendar(tech.calendar), lo - 2 * DAY, hi + 2 * DAY)
    except (CalendarError, ValueError):
        return None
    opens = np.maximum(intervals.opens, lo)
    closes = np.minimum(intervals.closes, hi)
    keep = closes > opens
    if not keep.any():
        return None
    pieces = [(int(opens[keep].min()), int(closes[keep].max()))]
    for a_start, a_end in sorted(absences):
        pieces = [p for s, e in pieces for p in _cut((s, e), a_start, a_end)]
    if not pieces:
        return None
    best = max(pieces, key=lambda p: p[1] - p[0])
    return best[0] - lo, best[1] - lo


def _cut(span: tuple[int, int], a_start: int, a_end: int) -> list[tuple[int, int]]:
    s, e = span
    out = []
    if a_start > s:
        out.append((s, min(e, a_start)))
    if a_end < e:
        out.append((max(s, a_end), e))
    return [(x, y) for x, y in out if y > x]


def absences_on(day: dt.date, technicians: list[Technician]) -> dict[int, list[tuple[int, int]]]:
    """Absences touching ``day`` per technician, as epoch-second spans (one query)."""
    start, end = day_bounds(day)
    out: dict[int, list[tuple[int, int]]] = {}
    rows = Absence.objects.filter(
        technician__in=[t.pk for t in technicians], starts_at__lt=end, ends_at__gt=start
    ).values_list("technician_id", "starts_at", "ends_at")
    for tech_id, a_start, a_end in rows:
        out.setdefault(tech_id, []).append((int(a_start.timestamp()), int(a_end.timestamp())))
    return out


@dataclass(frozen=True)
class DayInput:
    """A day ready for the engine: jobs, technicians, travel; and what the engine skips."""

    day: dt.date
    tickets: dict[int, Ticket]
    jobs: list[Job]
    techs: list[Tech]
    technicians: dict[int, Technician]
    km: NDArray[np.float64]
    travel_s: NDArray[np.float64]
    no_location: list[int]


def window_of(ticket: Ticket, day: dt.date, duration_s: int) -> tuple[int, int]:
    """Earliest and latest start in seconds from the day's midnight.

    A visit must end by the window's end; a ticket without a window may start any
    time of the day.
    """
    start, _end = day_bounds(day)
    origin = start.timestamp()
    lo = 0 if ticket.window_start is None else int(ticket.window_start.timestamp() - origin)
    hi = DAY if ticket.window_end is None else int(ticket.window_end.timestamp() - origin)
    return max(lo, 0), min(hi, DAY) - duration_s


def duration_seconds(ticket: Ticket) -> int:
    minutes = ticket.duration_minutes or DEFAULT_DURATION_MINUTES
    return int(minutes) * 60


def day_input(
    day: dt.date,
    technicians: list[Technician],
    *,
    pins: dict[int, tuple[int | None, int | None]] | None = None,
    earliest_s: int = 0,
) -> DayInput:
    """The engine's input for ``day``.

    ``pins`` maps a ticket id to (technician id, start second) it must keep (either
    may be None); unpinned jobs start no earlier than ``earliest_s``. Technicians
    without a home base or not working that day get no shift and plan nothing.
    """
    pins = pins or {}
    tickets = {t.pk: t for t in day_tickets(day)}
    absences = absences_on(day, technicians)
    lat: list[float] = []
    lon: list[float] = []
    techs: list[Tech] = []
    for tech in technicians:
        base = getattr(tech, "base", None)
        shift = shift_of(tech, day, absences.get(tech.pk, []))
        if base is None or shift is None:
            continue
        lat.append(base.latitude)
        lon.append(base.longitude)
        k = len(lat) - 1
        techs.append(Tech(tech.pk, k, k, shift, skill_names(tech)))
    jobs: list[Job] = []
    no_location: list[int] = []
    for pk, ticket in tickets.items():
        site = ticket.asset.site if ticket.asset else None
        if site is None or site.latitude is None or site.longitude is None:
            no_location.append(pk)
            continue
        lat.append(site.latitude)
        lon.append(site.longitude)
        duration = duration_seconds(ticket)
        lo, hi = window_of(ticket, day, duration)
        tech_id, start_s = pins.get(pk, (None, None))
        if start_s is None:
            lo = max(lo, earliest_s)
        jobs.append(
            Job(
                id=pk,
                location=len(lat) - 1,
                duration_s=duration,
                window=(lo, hi),
                skills=frozenset(s.name for s in ticket.required_skills.all()),
                fixed_technician=tech_id,
                fixed_start_s=start_s,
            )
        )
    km, seconds = travel_matrix(lat, lon, road_factor=ROAD_FACTOR, speed_kmh=SPEED_KMH)
    return DayInput(
        day=day,
        tickets=tickets,
        jobs=jobs,
        techs=techs,
        technicians={t.pk: t for t in technicians},
        km=km,
        travel_s=seconds.astype(np.float64),
        no_location=no_location,
    )


def latest_plan(day: dt.date) -> DayPlan | None:
    """The plan in force for ``day`` (the newest), if any."""
    return DayPlan.objects.filter(date=day).order_by("-created_at", "-pk").first()


def plan_visits(plan: DayPlan) -> list[Visit]:
    """The plan's visits with ticket, site, skills and technician (fixed query count)."""
    return list(
        plan.visits.select_related("ticket__asset__site", "ticket__customer", "technician__base")
        .prefetch_related("ticket__required_skills")
        .order_by("technician__name", "technician_id", "sequence")
    )


def _iso(at: dt.datetime | None) -> str | None:
    return None if at is None else timezone.localtime(at).isoformat()


def plan_dict(plan: DayPlan) -> dict[str, Any]:
    """The plan as the API answers it (a fixed number of queries)."""
    visits = plan_visits(plan)
    techs = {t.pk: t for t in technicians_for(sorted({v.technician_id for v in visits}))}
    routes: dict[int, list[dict[str, Any]]] = {}
    for v in visits:
        routes.setdefault(v.technician_id, []).append(
            {
                "ticket": v.ticket_id,
                "number": v.ticket.number,
                "start": _iso(v.start),
                "end": _iso(v.end),
                "window_start": _iso(v.ticket.window_start),
                "window_end": _iso(v.ticket.window_end),
                "required_skills": sorted(s.name for s in v.ticket.required_skills.all()),
                "travel_minutes": v.travel_minutes,
                "fixed": v.fixed,
            }
        )
    unassigned = plan.unassigned.select_related("ticket").order_by("pk")
    return {
        "plan": plan.pk,
        "date": plan.date.isoformat(),
        "routes": [
            {
                "technician": tech_id,
                "technician_name": techs[tech_id].name,
                "technician_skills": sorted(skill_names(techs[tech_id])),
                "visits": rows,
            }
            for tech_id, rows in routes.items()
        ],
        "unassigned": [
            {
                "ticket": u.ticket_id,
                "number": u.ticket.number,
                "reason": u.reason,
                "detail": str(u.get_reason_display()),
            }
            for u in unassigned
        ],
        "distance_km": plan.distance_km,
    }


def plan_unassigned(plan: DayPlan) -> list[UnassignedTicket]:
    """The plan's unassigned tickets with their sites (one query)."""
    return list(plan.unassigned.select_related("ticket__asset__site").order_by("pk"))


def technician_of(user: object) -> Technician | None:
    """The technician profile of a logged-in user, if there is one."""
    pk = getattr(user, "pk", None)
    return None if pk is None else Technician.objects.filter(user_id=pk).first()


def technician_visits(technician: Technician, day: dt.date) -> list[Visit]:
    """The technician's visits in the plan in force for ``day``."""
    plan = latest_plan(day)
    if plan is None:
        return []
    return [v for v in plan_visits(plan) if v.technician_id == technician.pk]


def absence_list(
    *, technician_id: int | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Absence]:
    """Absences ordered by start; of one technician, and touching the days ``start``..``end``."""
    qs = Absence.objects.order_by("starts_at", "pk")
    if technician_id is not None:
        qs = qs.filter(technician_id=technician_id)
    if start is not None:
        qs = qs.filter(ends_at__gt=day_bounds(start)[0])
    if end is not None:
        qs = qs.filter(starts_at__lt=day_bounds(end)[1])
    return qs
