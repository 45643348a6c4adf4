"""Demo step: home bases, absences, work orders and on-site incidents for the coming
two weeks, and a plan for next Monday; the work orders already ordered for the weeks
after, with a safety-inspection campaign, for the capacity plan.

Work orders go to sites within :data:`REACH_KM` of a technician's base and ask for a
skill that technician holds (now and then none), so most of each day can be planned;
a few on-site incidents with customer appointments join them. Beyond the two weeks,
work orders run on at the same rate up to :data:`ORDERED_WEEKS` weeks from next Monday:
none on days the team's calendar is closed, nor in weeks with fewer than
:data:`MIN_OPEN_DAYS` working days (between the years). In two weeks the yearly safety
inspections (DGUV V3) add :data:`CAMPAIGN_PER_TECHNICIAN_DAY` inspections per technician
and day: the weeks the capacity plan shows over capacity. The campaign takes the first
full working weeks (no holiday) from the weeks :data:`CAMPAIGN_WEEKS` on.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.calendars.selectors import engine_calendar
from servicegate.core.demo import DemoContext
from servicegate.engines.calendars import Calendar
from servicegate.engines.routing import haversine_km
from servicegate.engines.sla import business_seconds
from servicegate.operations.demo.customers import CITIES
from servicegate.operations.models import Asset
from servicegate.operations.ticket_services import ticket_create
from servicegate.scheduling.models import Absence
from servicegate.scheduling.services import (
    absence_add,
    day_plan_create,
    technician_base_set,
    work_order_terms_set,
)
from servicegate.team.models import Skill, Technician

REACH_KM = 120.0
DAYS_AHEAD = 14
WORK_ORDERS_PER_TECHNICIAN_DAY = 1.2  # per technician at work that day
ORDERED_WEEKS = 8
CAMPAIGN_WEEKS = (3, 6)  # counted from next Monday (0); moved past weeks with a holiday
CAMPAIGN_PER_TECHNICIAN_DAY = 2.5
MIN_OPEN_DAYS = 4  # shorter weeks (between the years) are kept for reactive work
INCIDENTS_PER_DAY = 2
WINDOWS = ((8, 12), (12, 16), (8, 16), (9, 15), (10, 14))
DURATIONS = (60, 90, 120, 150, 180)
TITLES = {
    "maintenance": ("Jahreswartung", "Halbjahreswartung", "Wartung nach Betriebsstunden"),
    "inspection": ("Sicherheitsinspektion", "Sichtprüfung", "Prüfung nach DGUV V3"),
    "incident": ("Anlage steht", "Leckage am Hydraulikaggregat", "Achse fährt nicht an"),
}
BERLIN = ZoneInfo("Europe/Berlin")


def build(ctx: DemoContext) -> None:
    """Create bases, absences, work orders and incidents; plan next Monday."""
    rng = ctx.rng
    technicians: list[Technician] = ctx.objects.get("technicians", [])
    dispatcher: User = ctx.objects["users"]["dispatcher"]
    if not technicians:
        ctx.report("demo: no technicians, no scheduling data")
        return
    bases = _bases(rng, technicians, dispatcher)
    today = timezone.localdate()
    _absences(rng, technicians, today, dispatcher)
    assets = _assets_with_places()
    skills = _skills_by_technician(technicians)
    days = [
        today + dt.timedelta(days=i)
        for i in range(1, DAYS_AHEAD + 1)
        if (today + dt.timedelta(days=i)).weekday() < 5
    ]
    made = 0
    for day in days:
        made += _work_orders(rng, day, technicians, bases, assets, skills, dispatcher)
        made += _incidents(rng, day, assets, dispatcher)
    monday = today + dt.timedelta(days=7 - today.weekday())
    ordered, campaign = _ordered_ahead(
        rng, today, monday, technicians, bases, assets, skills, dispatcher
    )
    ctx.objects["capacity_campaign"] = [monday + dt.timedelta(weeks=w) for w in sorted(campaign)]
    ctx.report(
        f"demo: {ordered} work orders ordered up to {ORDERED_WEEKS} weeks ahead; "
        "safety-inspection campaign in the weeks of "
        + ", ".join(str(monday + dt.timedelta(weeks=w)) for w in sorted(campaign))
    )
    plan = day_plan_create(day=monday, by=dispatcher)
    ctx.report(
        f"demo: {made} work orders and on-site tickets over {len(days)} days; "
        f"plan of {monday}: {plan.visits.count()} visits, {plan.unassigned.count()} left out"
    )


def _ordered_ahead(
    rng: np.random.Generator,
    today: dt.date,
    monday: dt.date,
    technicians: list[Technician],
    bases: dict[int, tuple[float, float]],
    assets: list[tuple[int, int, float, float]],
    skills: dict[int, list[Skill]],
    by: User,
) -> tuple[int, set[int]]:
    """Work orders after the day-plan horizon up to ORDERED_WEEKS weeks from ``monday``,
    on the days the team's calendar is open, with the campaign's inspections; how many,
    and the campaign's weeks."""
    calendar = engine_calendar(technicians[0].calendar)
    campaign = campaign_weeks(calendar, monday)
    made = 0
    day = today + dt.timedelta(days=DAYS_AHEAD + 1)
    while day < monday + dt.timedelta(weeks=ORDERED_WEEKS):
        if _open(calendar, day) and _open_days(calendar, day) >= MIN_OPEN_DAYS:
            made += _work_orders(rng, day, technicians, bases, assets, skills, by)
            if (day - monday).days // 7 in campaign:
                made += _work_orders(
                    rng,
                    day,
                    technicians,
                    bases,
                    assets,
                    skills,
                    by,
                    per_technician_day=CAMPAIGN_PER_TECHNICIAN_DAY,
                    inspection_share=1.0,
                )
        day += dt.timedelta(days=1)
    return made, campaign


def campaign_weeks(calendar: Calendar, monday: dt.date) -> set[int]:
    """The campaign's weeks (0 = the week of ``monday``): for each of CAMPAIGN_WEEKS the
    first week from it on whose five weekdays are all open."""
    chosen: set[int] = set()
    for first in CAMPAIGN_WEEKS:
        week = first
        while week < ORDERED_WEEKS and (
            week in chosen
            or not all(_open(calendar, monday + dt.timedelta(weeks=week, days=d)) for d in range(5))
        ):
            week += 1
        if week < ORDERED_WEEKS:
            chosen.add(week)
    return chosen


def _open_days(calendar: Calendar, day: dt.date) -> int:
    """Open days of the week (Monday to Friday) that ``day`` falls in."""
    first = day - dt.timedelta(days=day.weekday())
    return sum(_open(calendar, first + dt.timedelta(days=d)) for d in range(5))


def _open(calendar: Calendar, day: dt.date) -> bool:
    """Whether the calendar has open hours on ``day`` (a holiday or weekend has none)."""
    start = int(dt.datetime.combine(day, dt.time(), tzinfo=BERLIN).timestamp())
    bounds = np.array([start]), np.array([start + 86400])
    return bool(business_seconds(calendar, *bounds)[0] > 0)


def _bases(
    rng: np.random.Generator, technicians: list[Technician], by: User
) -> dict[int, tuple[float, float]]:
    """Home bases near the technician's home town (a few km off its centre)."""
    towns = {c[0]: (c[3], c[4]) for c in CITIES}
    out = {}
    for tech in technicians:
        lat, lon = towns.get(tech.home_base, (50.0, 10.0))
        lat, lon = (
            round(lat + float(rng.normal(0, 0.04)), 5),
            round(lon + float(rng.normal(0, 0.06)), 5),
        )
        technician_base_set(technician=tech, latitude=lat, longitude=lon, by=by)
        out[tech.pk] = (lat, lon)
    return out


def _absences(
    rng: np.random.Generator, technicians: list[Technician], today: dt.date, by: User
) -> None:
    """Up to two technicians on holiday for a week and one on a training day (a quarter of
    the team at most)."""
    picks = rng.choice(len(technicians), size=min(3, len(technicians) // 4), replace=False)
    for k, i in enumerate(int(x) for x in picks):
        start = today + dt.timedelta(days=int(rng.integers(3, 12)))
        length = 1 if k == 2 else 5
        absence_add(
            by=by,
            technician=technicians[i],
            starts_at=dt.datetime.combine(start, dt.time(), tzinfo=BERLIN),
            ends_at=dt.datetime.combine(
                start + dt.timedelta(days=length), dt.time(), tzinfo=BERLIN
            ),
            reason=Absence.Reason.TRAINING if k == 2 else Absence.Reason.HOLIDAY,
        )


def _assets_with_places() -> list[tuple[int, int, float, float]]:
    """(asset, customer, latitude, longitude) of active assets at sites with coordinates."""
    return [
        (a, c, lat, lon)
        for a, c, lat, lon in Asset.objects.filter(
            site__latitude__isnull=False, status="active"
        ).values_list("pk", "site__customer_id", "site__latitude", "site__longitude")
        if lat is not None and lon is not None
    ]


def _skills_by_technician(technicians: list[Technician]) -> dict[int, list[Skill]]:
    out: dict[int, list[Skill]] = {t.pk: [] for t in technicians}
    for tech in Technician.objects.filter(pk__in=out).prefetch_related("skills"):
        out[tech.pk] = [s for s in tech.skills.all() if s.kind == Skill.Kind.TECHNICAL]
    return out


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BERLIN)


def _work_orders(
    rng: np.random.Generator,
    day: dt.date,
    technicians: list[Technician],
    bases: dict[int, tuple[float, float]],
    assets: list[tuple[int, int, float, float]],
    skills: dict[int, list[Skill]],
    by: User,
    *,
    per_technician_day: float = WORK_ORDERS_PER_TECHNICIAN_DAY,
    inspection_share: float = 0.3,
) -> int:
    """The day's preventive work orders, each near a technician who could do it."""
    present = _at_work(technicians, day)
    if not assets or not present:
        return 0
    lat = np.array([a[2] for a in assets])
    lon = np.array([a[3] for a in assets])
    n = int(rng.poisson(per_technician_day * len(present)))
    for _ in range(n):
        tech = present[int(rng.integers(len(present)))]
        blat, blon = bases[tech.pk]
        near = np.flatnonzero(haversine_km(blat, blon, lat, lon) <= REACH_KM)
        if near.size == 0:
            continue
        asset, customer, _lat, _lon = assets[int(near[int(rng.integers(near.size))])]
        kind = "maintenance" if rng.random() >= inspection_share else "inspection"
        ticket = ticket_create(
            by=by,
            title=str(rng.choice(TITLES[kind])),
            customer_id=customer,
            asset_id=asset,
            priority="P4",
            kind=kind,
            channel="on_site",
        )
        start_h, end_h = WINDOWS[int(rng.integers(len(WINDOWS)))]
        own = skills[tech.pk]
        needed = [own[int(rng.integers(len(own)))]] if own and rng.random() < 0.7 else []
        work_order_terms_set(
            ticket=ticket,
            by=by,
            window_start=_at(day, start_h),
            window_end=_at(day, end_h),
            duration_minutes=int(rng.choice(DURATIONS)),
            skills=needed,
        )
    return n


def _at_work(technicians: list[Technician], day: dt.date) -> list[Technician]:
    """The technicians not away on ``day`` (work is ordered for those who can do it)."""
    away = set(
        Absence.objects.filter(
            technician__in=technicians,
            starts_at__lt=_at(day + dt.timedelta(days=1), 0),
            ends_at__gt=_at(day, 0),
        ).values_list("technician_id", flat=True)
    )
    return [t for t in technicians if t.pk not in away]


def _incidents(
    rng: np.random.Generator, day: dt.date, assets: list[tuple[int, int, float, float]], by: User
) -> int:
    """On-site incidents with an appointment on ``day`` (no skill asked for)."""
    if not assets:
        return 0
    for _ in range(INCIDENTS_PER_DAY):
        asset, customer, _lat, _lon = assets[int(rng.integers(len(assets)))]
        ticket = ticket_create(
            by=by,
            title=str(rng.choice(TITLES["incident"])),
            customer_id=customer,
            asset_id=asset,
            priority="P2",
            kind="incident",
            channel="on_site",
        )
        start_h = int(rng.choice([8, 10, 12]))
        work_order_terms_set(
            ticket=ticket,
            by=by,
            window_start=_at(day, start_h),
            window_end=_at(day, start_h + 4),
            duration_minutes=int(rng.choice([60, 90, 120])),
        )
    return INCIDENTS_PER_DAY
