"""Demo step: ~1,000 assets and two years of reactive and preventive tickets.

Tickets follow a simple service process drawn with the context's generator: arrivals
with weekday and hour seasonality, priorities by kind, a response delay by priority,
work that sometimes waits on the customer (``awaiting_customer`` pauses), a few slow
ones, and closure two days after resolution. Tickets and events are written with the
importers' bulk INSERT in chunks (the large size has over a million tickets).

On top of the history, a *live queue* of incidents opened in the last days and still
open (new, assigned, in progress or waiting for the customer), so that the live
at-risk list has clocks to show right after the demo is built: some already overdue,
some about to breach, some with time to spare. *Today's work*: incidents opened in the
last few hours, every one assigned to a technician (a third to the ``technician``
login), many of them P1 with a one-hour response promise on the 24×7 calendar, so
that whenever the demo is built the at-risk list, the breach warnings, the dispatch
queue and the technician's "my work" page have tickets approaching their deadline.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from servicegate.core.demo import DemoContext
from servicegate.core.statistics import analyze
from servicegate.importers.writer import datetime_adapter, insert_rows
from servicegate.operations.choices import AssetStatus, TicketKind, TicketStatus
from servicegate.operations.models import Asset, Site, Ticket, TicketEvent
from servicegate.operations.models.tickets import NATIVE_SOURCE

PRODUCT_MODELS = (
    ("PX-200 Servo press", "PX2"),
    ("PX-400 Servo press", "PX4"),
    ("FL-80 Filling line", "FL8"),
    ("PK-12 Packaging cell", "PK1"),
    ("RB-6 Robot cell", "RB6"),
    ("VC-3 Vision inspection", "VC3"),
    ("HY-50 Hydraulic unit", "HY5"),
    ("CT-9 Control cabinet", "CT9"),
)
# kind, share, on-site share, priority weights P1..P4, median hours in progress (hands-on
# work; reactive tickets average about 1.6 h with the slow ones, so that twelve
# technicians' ordinary weeks land at 60–95 % in the capacity plan)
KINDS: tuple[tuple[str, float, float, tuple[float, ...], float], ...] = (
    (TicketKind.INCIDENT, 0.55, 0.40, (0.05, 0.20, 0.50, 0.25), 1.25),
    (TicketKind.REQUEST, 0.15, 0.20, (0.0, 0.05, 0.45, 0.50), 0.75),
    (TicketKind.MAINTENANCE, 0.15, 1.00, (0.0, 0.0, 0.60, 0.40), 5.0),
    (TicketKind.INSPECTION, 0.07, 1.00, (0.0, 0.0, 0.50, 0.50), 3.0),
    (TicketKind.REMOTE_HEALTH_CHECK, 0.06, 0.0, (0.0, 0.0, 0.30, 0.70), 1.0),
    (TicketKind.CONSULTING, 0.02, 0.50, (0.0, 0.0, 0.20, 0.80), 4.0),
)
PRIORITIES = ("P1", "P2", "P3", "P4")
RESPONSE_HOURS = np.array([0.5, 2.0, 6.0, 16.0])
WEEKDAY_WEIGHT = np.array([1.0, 1.0, 0.95, 0.9, 0.8, 0.25, 0.15])
HOUR_WEIGHT = np.array(
    [1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 10, 8, 10, 11, 10, 8, 6, 4, 3, 2, 2, 1, 1], dtype=float
)
DAYS = 730
SMALL_TICKETS = 20_000
LARGE_TICKETS = 1_000_000
LIVE_TICKETS = 60  # the open incidents of the live queue, opened over the last LIVE_HOURS
LIVE_HOURS = 72.0
# Share of the live queue in each open stage: new, assigned, in progress, waiting.
LIVE_STAGES = (0.25, 0.30, 0.30, 0.15)
TODAY_TICKETS = 30  # today's work: opened over the last TODAY_HOURS, all assigned
TODAY_HOURS = 5.0
TODAY_STAGES = (0.0, 0.6, 0.3, 0.1)
TITLES = (
    "Press stops with servo fault",
    "Hydraulic pressure drops under load",
    "Vision check rejects good parts",
    "Robot cell halts at station 3",
    "Filling line overfills bottles",
    "Control cabinet overheats",
    "Packaging cell jams on carton feed",
    "Safety door sensor reports open",
)
CHUNK = 50_000
TICKET_NAMES = (
    "source",
    "external_id",
    "number",
    "kind",
    "channel",
    "priority",
    "source_priority",
    "category",
    "customer_id",
    "asset_id",
    "assignment_group",
    "technician_id",
    "opened_at",
    "responded_at",
    "resolved_at",
    "closed_at",
    "status",
    "source_status",
    "reassignment_count",
    "reopen_count",
)
EVENT_NAMES = (
    "ticket_id",
    "seq",
    "at",
    "status",
    "source_status",
    "priority",
    "assignment_group",
    "technician_id",
    "resource",
)


def build(ctx: DemoContext) -> None:
    """Create the assets and the ticket history of the demo organisation."""
    assets = _assets(ctx)
    technicians = [t.pk for t in ctx.objects.get("technicians", [])]
    total = LARGE_TICKETS if ctx.size == "large" else SMALL_TICKETS
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    # Midnight in the organisation's zone, so hours of the day are local wall-clock hours.
    first_day = (now - timedelta(days=DAYS)).date()
    start = datetime.combine(first_day, time(0), tzinfo=ZoneInfo("Europe/Berlin"))
    made = 0
    while made < total:
        size = min(CHUNK, total - made)
        _tickets(ctx, assets, technicians, start, now, made, size)
        made += size
        ctx.report(f"demo: {made:,} of {total:,} tickets")
    live = datetime.now(UTC)
    _live_queue(ctx, assets, technicians, live, made)
    _live_queue(ctx, assets, technicians, live, made + LIVE_TICKETS, today=True)
    analyze(Ticket, TicketEvent)
    ctx.objects["assets"] = assets


def _assets(ctx: DemoContext) -> list[tuple[int, int]]:
    """Create ~1,000 assets; return (asset id, customer id) pairs."""
    rng = ctx.rng
    sites = list(Site.objects.order_by("id").values_list("id", "customer_id"))
    if not sites:
        return []
    per_site = rng.poisson(max(1000 / len(sites) - 1, 0.1), size=len(sites)) + 1
    today = date.today()
    rows: list[Asset] = []
    for (site_id, _customer), count in zip(sites, per_site, strict=True):
        for _ in range(int(count)):
            model, prefix = PRODUCT_MODELS[int(rng.integers(len(PRODUCT_MODELS)))]
            rows.append(
                Asset(
                    site_id=site_id,
                    product_model=model,
                    serial_number=f"{prefix}-{len(rows) + 100001}",
                    install_date=today - timedelta(days=int(rng.integers(60, 3650))),
                    status=AssetStatus.ACTIVE
                    if rng.random() < 0.95
                    else AssetStatus.OUT_OF_SERVICE,
                )
            )
    Asset.objects.bulk_create(rows, batch_size=1000)
    customer_of = dict(sites)
    return [
        (a, customer_of[s]) for a, s in Asset.objects.order_by("id").values_list("id", "site_id")
    ]


def _opened(rng: np.random.Generator, start: datetime, n: int) -> np.ndarray:
    """Opening instants (hours since ``start``) with weekday and hour seasonality."""
    days = np.arange(DAYS)
    weekday = (start.weekday() + days) % 7
    trend = 1.0 + 0.3 * days / DAYS  # the installed base grows
    p_day = WEEKDAY_WEIGHT[weekday] * trend
    day = rng.choice(days, size=n, p=p_day / p_day.sum())
    hour = rng.choice(24, size=n, p=HOUR_WEIGHT / HOUR_WEIGHT.sum())
    return np.sort(day * 24.0 + hour + rng.random(n))


def _tickets(
    ctx: DemoContext,
    assets: list[tuple[int, int]],
    technicians: list[int],
    start: datetime,
    now: datetime,
    offset: int,
    n: int,
) -> None:
    rng = ctx.rng
    draw = _draw(rng, n, len(assets), len(technicians), start)
    adapt = datetime_adapter()
    horizon = (now - start).total_seconds() / 3600
    ticket_rows: list[tuple[Any, ...]] = []
    timelines: list[list[tuple[float, str]]] = []
    for i in range(n):
        kind_index = int(draw["kind"][i])
        timeline = _timeline(draw, i, horizon)
        timelines.append(timeline)
        asset, customer = assets[int(draw["asset"][i])] if assets else (None, None)
        technician = technicians[int(draw["tech"][i])] if technicians else None
        status = timeline[-1][1]
        instants = {s: h for h, s in timeline}
        number = f"SG-{offset + i + 1:07d}"
        priority = PRIORITIES[int(draw["priority"][i])]
        ticket_rows.append(
            (
                NATIVE_SOURCE,
                number,
                number,
                KINDS[kind_index][0],
                "on_site" if draw["on_site"][i] else "remote",
                priority,
                priority,
                "",
                customer,
                asset,
                "Service Team",
                technician if status != TicketStatus.NEW else None,
                adapt(_at(start, timeline[0][0])),
                _maybe(adapt, start, instants.get(TicketStatus.ASSIGNED)),
                _maybe(adapt, start, instants.get(TicketStatus.RESOLVED)),
                _maybe(adapt, start, instants.get(TicketStatus.CLOSED)),
                status,
                "",
                0,
                0,
            )
        )
    insert_rows(Ticket, TICKET_NAMES, ticket_rows)
    ids = dict(
        Ticket.objects.filter(source=NATIVE_SOURCE)
        .order_by("-id")
        .values_list("external_id", "id")[:n]
    )
    event_rows: list[tuple[Any, ...]] = []
    for row, timeline in zip(ticket_rows, timelines, strict=True):
        ticket_id = ids[row[1]]
        for seq, (hours, status) in enumerate(timeline, start=1):
            technician = row[11] if status != TicketStatus.NEW else None
            event_rows.append(
                (
                    ticket_id,
                    seq,
                    adapt(_at(start, hours)),
                    status,
                    "",
                    row[5],
                    row[10],
                    technician,
                    "",
                )
            )
    insert_rows(TicketEvent, EVENT_NAMES, event_rows)


def _live_queue(
    ctx: DemoContext,
    assets: list[tuple[int, int]],
    technicians: list[int],
    now: datetime,
    offset: int,
    today: bool = False,
) -> None:
    """Open incidents of the last LIVE_HOURS, each cut at a random open stage; with
    ``today`` today's work instead (TODAY_HOURS, every ticket assigned)."""
    rng = ctx.rng
    n, hours, stages = LIVE_TICKETS, LIVE_HOURS, LIVE_STAGES
    if today:
        n, hours, stages = TODAY_TICKETS, TODAY_HOURS, TODAY_STAGES
    opened = np.sort(now.timestamp() - rng.random(n) * hours * 3600)
    stage = rng.choice(len(stages), size=n, p=np.array(stages))
    priority = rng.choice(3, size=n, p=[0.4, 0.4, 0.2] if today else [0.15, 0.35, 0.50])
    asset = rng.integers(max(len(assets), 1), size=n)
    tech = rng.integers(max(len(technicians), 1), size=n)
    adapt = datetime_adapter()
    ticket_rows: list[tuple[Any, ...]] = []
    timelines: list[list[tuple[datetime, str]]] = []
    statuses: tuple[str, ...] = (
        TicketStatus.NEW,
        TicketStatus.ASSIGNED,
        TicketStatus.IN_PROGRESS,
        TicketStatus.AWAITING_CUSTOMER,
    )
    for i in range(n):
        # the stages reached, evenly spread between opening and now
        start = datetime.fromtimestamp(float(opened[i]), UTC)
        step = (now - start) / (int(stage[i]) + 2)
        timeline = [(start + step * k, statuses[k]) for k in range(int(stage[i]) + 1)]
        timelines.append(timeline)
        asset_id, customer = assets[int(asset[i])] if assets else (None, None)
        technician = technicians[int(tech[i])] if technicians and stage[i] > 0 else None
        if today and technicians and i % 3 == 0:
            technician = technicians[0]  # the technician login's own work
        number = f"SG-{offset + i + 1:07d}"
        prio = PRIORITIES[int(priority[i])]
        # today's work is responded to when work starts: assigned ones still wait
        first = 2 if today else 1
        responded = adapt(timeline[first][0]) if len(timeline) > first else None
        ticket_rows.append(
            (
                NATIVE_SOURCE,
                number,
                number,
                TicketKind.INCIDENT,
                "remote" if rng.random() < 0.6 else "on_site",
                prio,
                prio,
                "",
                customer,
                asset_id,
                "Service Team",
                technician,
                adapt(start),
                responded,
                None,
                None,
                timeline[-1][1],
                "",
                0,
                0,
                TITLES[int(asset[i]) % len(TITLES)],
            )
        )
    insert_rows(Ticket, (*TICKET_NAMES, "title"), ticket_rows)
    ids = dict(
        Ticket.objects.filter(external_id__in=[r[1] for r in ticket_rows]).values_list(
            "external_id", "id"
        )
    )
    event_rows = [
        (ids[row[1]], seq, adapt(at), status, "", row[5], row[10], row[11], "")
        for row, timeline in zip(ticket_rows, timelines, strict=True)
        for seq, (at, status) in enumerate(timeline, start=1)
    ]
    insert_rows(TicketEvent, EVENT_NAMES, event_rows)


def _draw(
    rng: np.random.Generator, n: int, assets: int, technicians: int, start: datetime
) -> dict[str, np.ndarray]:
    """Every random number one chunk of tickets needs, drawn at once."""
    shares = np.array([k[1] for k in KINDS])
    kind = rng.choice(len(KINDS), size=n, p=shares / shares.sum())
    on_site_share = np.array([k[2] for k in KINDS])[kind]
    priority = np.empty(n, dtype=np.int64)
    for k, spec in enumerate(KINDS):
        mask = kind == k
        weights = np.array(spec[3])
        priority[mask] = rng.choice(4, size=int(mask.sum()), p=weights / weights.sum())
    work_mean = np.array([k[4] for k in KINDS])[kind]
    slow = rng.random(n) < 0.04
    return {
        "opened": _opened(rng, start, n),
        "kind": kind,
        "on_site": rng.random(n) < on_site_share,
        "priority": priority,
        "asset": rng.integers(max(assets, 1), size=n),
        "tech": rng.integers(max(technicians, 1), size=n),
        "response": rng.exponential(RESPONSE_HOURS[priority]),
        "start_work": rng.exponential(1.0, size=n),
        "wait": np.where(rng.random(n) < 0.25, rng.exponential(20.0, size=n), 0.0),
        "work": rng.lognormal(np.log(work_mean), 0.6) * np.where(slow, 8.0, 1.0),
        "close": 24.0 + rng.exponential(24.0, size=n),
    }


def _timeline(draw: dict[str, np.ndarray], i: int, horizon: float) -> list[tuple[float, str]]:
    """(hours since start, status) of one ticket, cut at the present."""
    t = float(draw["opened"][i])
    steps: list[tuple[float, str]] = [(t, TicketStatus.NEW)]
    t += float(draw["response"][i])
    steps.append((t, TicketStatus.ASSIGNED))
    t += float(draw["start_work"][i])
    steps.append((t, TicketStatus.IN_PROGRESS))
    wait = float(draw["wait"][i])
    work = float(draw["work"][i])
    if wait > 0:
        t += work / 2
        steps.append((t, TicketStatus.AWAITING_CUSTOMER))
        t += wait
        steps.append((t, TicketStatus.IN_PROGRESS))
        work /= 2
    t += work
    steps.append((t, TicketStatus.RESOLVED))
    t += float(draw["close"][i])
    steps.append((t, TicketStatus.CLOSED))
    return [step for step in steps if step[0] <= horizon] or steps[:1]


def _at(start: datetime, hours: float) -> datetime:
    return start + timedelta(hours=hours)


def _maybe(adapt: Any, start: datetime, hours: float | None) -> Any:
    return None if hours is None else adapt(_at(start, hours))
