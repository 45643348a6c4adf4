"""Demo step: home bases, absences, work orders and on-site incidents for the coming
two weeks, and a plan for next Monday.

Work orders go to sites within :data:`REACH_KM` of a technician's base and ask for a
skill that technician holds (now and then none), so most of each day can be planned;
a few on-site incidents with customer appointments join them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.core.demo import DemoContext
from servicegate.engines.routing import haversine_km
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
WORK_ORDERS_PER_TECHNICIAN_DAY = 1.2
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
    plan = day_plan_create(day=monday, by=dispatcher)
    ctx.report(
        f"demo: {made} work orders and on-site tickets over {len(days)} days; "
        f"plan of {monday}: {plan.visits.count()} visits, {plan.unassigned.count()} left out"
    )


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
) -> int:
    """The day's preventive work orders, each near a technician who could do it."""
    if not assets:
        return 0
    lat = np.array([a[2] for a in assets])
    lon = np.array([a[3] for a in assets])
    n = int(rng.poisson(WORK_ORDERS_PER_TECHNICIAN_DAY * len(technicians)))
    for _ in range(n):
        tech = technicians[int(rng.integers(len(technicians)))]
        blat, blon = bases[tech.pk]
        near = np.flatnonzero(haversine_km(blat, blon, lat, lon) <= REACH_KM)
        if near.size == 0:
            continue
        asset, customer, _lat, _lon = assets[int(near[int(rng.integers(near.size))])]
        kind = "maintenance" if rng.random() < 0.7 else "inspection"
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
