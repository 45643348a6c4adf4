"""Writes of scheduling: plan a day, insert an urgent ticket, move a visit.

Every write runs the routing engine (``servicegate.engines.routing``) on the day's
work orders and on-site tickets and saves the whole plan in one transaction: a new
:class:`DayPlan` with its visits and unassigned tickets, or nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import require_capability
from servicegate.engines.routing import DayPlan as EnginePlan
from servicegate.engines.routing import RoutingInputError, plan_day
from servicegate.operations.choices import REACTIVE_KINDS, STOP_STATUSES, Channel
from servicegate.operations.models import Ticket
from servicegate.operations.ticket_services import tickets_changed
from servicegate.scheduling.choices import UnassignedReason
from servicegate.scheduling.errors import ScheduleRefused
from servicegate.scheduling.models import Absence, DayPlan, TechnicianBase, UnassignedTicket, Visit
from servicegate.scheduling.selectors import (
    DayInput,
    day_bounds,
    day_input,
    latest_plan,
    technicians_for,
)
from servicegate.team.models import Skill, Technician

#: Seconds the solver may search; small days finish far earlier.
TIME_LIMIT_S = 2.0


def _technicians(ids: Sequence[int] | None) -> list[Technician]:
    technicians = technicians_for(list(ids) if ids is not None else None)
    if ids is not None:
        missing = sorted(set(ids) - {t.pk for t in technicians})
        if missing:
            raise ScheduleRefused(
                _("There is no active technician %(ids)s; pick from the team's technicians.")
                % {"ids": ", ".join(str(i) for i in missing)}
            )
    return technicians


def _second_of_day(at: dt.datetime, day: dt.date) -> int:
    return int(at.timestamp() - day_bounds(day)[0].timestamp())


def _pins(
    day: dt.date, fixed: Sequence[int], now: dt.datetime | None
) -> dict[int, tuple[int | None, int | None]]:
    """Visits of the plan in force that keep technician and start.

    The tickets named in ``fixed``, and every visit already started at ``now``.
    """
    current = latest_plan(day)
    visits = list(current.visits.all()) if current else []
    by_ticket = {v.ticket_id: v for v in visits}
    unknown = sorted(set(fixed) - set(by_ticket))
    if unknown:
        raise ScheduleRefused(
            _(
                "Ticket %(ids)s has no visit in the plan of %(day)s, so it cannot be kept "
                "fixed; plan the day first or leave it out of “fixed”."
            )
            % {"ids": ", ".join(str(i) for i in unknown), "day": day.isoformat()}
        )
    keep = {v.ticket_id for v in visits if now is not None and v.start <= now} | set(fixed)
    return {
        pk: (by_ticket[pk].technician_id, _second_of_day(by_ticket[pk].start, day)) for pk in keep
    }


def _solve(data: DayInput) -> EnginePlan:
    try:
        return plan_day(
            jobs=data.jobs, techs=data.techs, travel_s=data.travel_s, time_limit_s=TIME_LIMIT_S
        )
    except RoutingInputError as exc:  # the input is built here; this is a bug, say so
        raise ScheduleRefused(str(exc)) from None


def _save(
    data: DayInput, result: EnginePlan, pins: dict[int, tuple[int | None, int | None]], by: Actor
) -> DayPlan:
    origin = day_bounds(data.day)[0]
    locations = {j.id: j.location for j in data.jobs}
    distance = 0.0
    visits: list[Visit] = []
    with transaction.atomic():
        plan = DayPlan.objects.create(date=data.day, by=as_user(by))
        techs = {t.id: t for t in data.techs}
        for tech_id, route in result.routes.items():
            here = techs[tech_id].start_location
            for seq, v in enumerate(route, start=1):
                distance += float(data.km[here, locations[v.job]])
                here = locations[v.job]
                visits.append(
                    Visit(
                        plan=plan,
                        technician_id=tech_id,
                        ticket_id=v.job,
                        sequence=seq,
                        start=origin + dt.timedelta(seconds=v.start_s),
                        end=origin + dt.timedelta(seconds=v.end_s),
                        travel_minutes=round(v.travel_s / 60.0, 1),
                        fixed=pins.get(v.job, (None, None))[1] is not None,
                    )
                )
            if route:
                distance += float(data.km[here, techs[tech_id].end_location])
        Visit.objects.bulk_create(visits)
        left = [(pk, UnassignedReason.NO_LOCATION.value) for pk in data.no_location]
        left += list(result.unassigned)
        UnassignedTicket.objects.bulk_create(
            UnassignedTicket(plan=plan, ticket_id=pk, reason=reason) for pk, reason in left
        )
        plan.distance_km = round(distance, 2)
        plan.save(update_fields=["distance_km"])
    return plan


def day_plan_create(
    *,
    day: dt.date,
    by: Actor,
    technician_ids: Sequence[int] | None = None,
    fixed: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> DayPlan:
    """Plan ``day`` and save it as the plan in force (dispatchers, service managers).

    Plans the day's preventive work orders and open on-site tickets for the active
    technicians (or those of ``technician_ids``). Visits of the current plan for
    the tickets in ``fixed``, and (for today) every visit started before ``now``,
    keep their technician and start; the rest start no earlier than ``now``.
    Raises :class:`ScheduleRefused` for unknown technicians or fixed tickets.
    """
    require_capability(by, "dispatch")
    now = now or timezone.now()
    today = timezone.localdate(now)
    if day < today:
        raise ScheduleRefused(
            _("%(day)s lies in the past; plan today or a day ahead.") % {"day": day.isoformat()}
        )
    started = now if day == today else None
    pins = _pins(day, fixed, started)
    data = day_input(
        day,
        _technicians(technician_ids),
        pins=pins,
        earliest_s=max(0, _second_of_day(now, day)) if day == today else 0,
    )
    return _save(data, _solve(data), pins, by)


def day_plan_insert_urgent(*, ticket: Ticket, by: Actor, now: dt.datetime | None = None) -> DayPlan:
    """Insert an urgent on-site ticket into today's plan, keeping started visits fixed.

    The ticket must be an open on-site incident or request; the day is re-planned
    from ``now`` with every visit already under way pinned (technician and start).
    """
    require_capability(by, "dispatch")
    if ticket.kind not in REACTIVE_KINDS or ticket.channel != Channel.ON_SITE:
        raise ScheduleRefused(
            _("Only an on-site incident or request can be inserted as urgent; %(n)s is not one.")
            % {"n": ticket.number}
        )
    if ticket.status in STOP_STATUSES:
        raise ScheduleRefused(
            _("Ticket %(n)s is already %(status)s; there is nothing to visit.")
            % {"n": ticket.number, "status": ticket.get_status_display()},
            status=409,
        )
    now = now or timezone.now()
    return day_plan_create(day=timezone.localdate(now), by=by, now=now)


def visit_reassign(
    *, visit: Visit, technician_id: int, by: Actor, now: dt.datetime | None = None
) -> DayPlan:
    """Move a visit to another technician and re-plan its day with the constraints checked.

    Every other visit keeps its technician (its time may move); the moved ticket must
    go to ``technician_id``. Refused with the engine's reason when that technician
    cannot take it (skills, window, working hours); nothing is saved then.
    """
    require_capability(by, "dispatch")
    plan = visit.plan
    if plan.pk != getattr(latest_plan(plan.date), "pk", None):
        raise ScheduleRefused(
            _("This visit belongs to an older plan of %(day)s; open the plan in force.")
            % {"day": plan.date.isoformat()},
            status=409,
        )
    now = now or timezone.now()
    if plan.date < timezone.localdate(now):
        raise ScheduleRefused(
            _("%(day)s lies in the past; its visits stay as they were.")
            % {"day": plan.date.isoformat()},
            status=409,
        )
    if visit.start <= now and plan.date == timezone.localdate(now):
        raise ScheduleRefused(_("The visit has started; it stays with its technician."), status=409)
    pins: dict[int, tuple[int | None, int | None]] = {
        v.ticket_id: (v.technician_id, None) for v in plan.visits.all()
    }
    for v in plan.visits.filter(fixed=True):
        pins[v.ticket_id] = (v.technician_id, _second_of_day(v.start, plan.date))
    pins[visit.ticket_id] = (technician_id, None)
    data = day_input(plan.date, _technicians(None), pins=pins)
    if technician_id not in {t.id for t in data.techs}:
        raise ScheduleRefused(
            _("Technician %(id)s does not work on %(day)s or has no home base.")
            % {"id": technician_id, "day": plan.date.isoformat()}
        )
    result = _solve(data)
    reason = dict(result.unassigned).get(visit.ticket_id)
    if reason is not None:
        raise ScheduleRefused(
            _("The visit cannot move to that technician: %(reason)s")
            % {"reason": UnassignedReason(reason).label}
        )
    dropped = sorted(set(dict(result.unassigned)) & set(pins))
    if dropped:
        raise ScheduleRefused(
            _(
                "Moving the visit would leave ticket %(ids)s without a visit; pick another "
                "technician."
            )
            % {"ids": ", ".join(str(i) for i in dropped)}
        )
    return _save(data, result, pins, by)


def work_order_terms_set(
    *,
    ticket: Ticket,
    by: Actor,
    window_start: dt.datetime | None,
    window_end: dt.datetime | None,
    duration_minutes: int | None,
    skills: Sequence[Skill] = (),
) -> Ticket:
    """Set when a ticket's visit may take place, how long it takes and the skills it needs.

    Dispatchers and service managers; the window must not end before it starts and
    the duration must be positive.
    """
    require_capability(by, "dispatch")
    if window_start and window_end and window_end <= window_start:
        raise ScheduleRefused(_("The window ends before it starts; give an end after the start."))
    if duration_minutes is not None and duration_minutes <= 0:
        raise ScheduleRefused(_("The planned duration must be at least one minute."))
    with transaction.atomic():
        ticket.window_start, ticket.window_end = window_start, window_end
        ticket.duration_minutes = duration_minutes
        ticket.save(update_fields=["window_start", "window_end", "duration_minutes"])
        ticket.required_skills.set(skills)
        tickets_changed([ticket.pk])
    return ticket


def technician_base_set(
    *, technician: Technician, latitude: float, longitude: float, by: Actor
) -> TechnicianBase:
    """Set where a technician's working day starts and ends (``manage_team``)."""
    require_capability(by, "manage_team")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ScheduleRefused(
            _(
                "The coordinates (%(lat)s, %(lon)s) lie outside the globe; give the latitude "
                "between -90 and 90 and the longitude between -180 and 180 degrees."
            )
            % {"lat": latitude, "lon": longitude}
        )
    with transaction.atomic():
        base, _created = TechnicianBase.objects.update_or_create(
            technician=technician, defaults={"latitude": latitude, "longitude": longitude}
        )
    return base


def absence_add(
    *, technician: Technician, starts_at: dt.datetime, ends_at: dt.datetime, reason: str, by: Actor
) -> Absence:
    """Record that a technician is away from ``starts_at`` until ``ends_at`` (``manage_team``)."""
    require_capability(by, "manage_team")
    if ends_at <= starts_at:
        raise ScheduleRefused(_("The absence ends before it starts; give an end after the start."))
    if reason not in Absence.Reason.values:
        raise ScheduleRefused(
            _("The reason “%(reason)s” is unknown; use one of: %(reasons)s.")
            % {"reason": reason, "reasons": ", ".join(Absence.Reason.values)}
        )
    with transaction.atomic():
        return Absence.objects.create(
            technician=technician, starts_at=starts_at, ends_at=ends_at, reason=reason
        )
