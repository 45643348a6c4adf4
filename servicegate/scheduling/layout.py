"""Where things are drawn: the Gantt rows of a day plan and the sketch of its routes.

Pure geometry over saved visits; the templates turn it into HTML/CSS bars and SVG.
The sketch projects latitude/longitude equirectangularly (longitude shrunk by the
cosine of the mean latitude), which is true to within a few per cent across Germany.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils import timezone

from servicegate.scheduling.models import Visit
from servicegate.team.models import Technician

#: Colours of the routes (cycled), the house palette.
COLOURS = ("#0b5cab", "#c62828", "#1a7f37", "#9a6700", "#6f42c1", "#00838f", "#5b6578")
SKETCH = 560.0
MARGIN = 20.0


@dataclass(frozen=True)
class Bar:
    """A block on a technician's timeline, in percent of the shown hours."""

    left: float
    width: float
    kind: str  # "visit" | "travel"
    visit: Visit | None
    label: str


@dataclass(frozen=True)
class GanttRow:
    technician: Technician
    colour: str
    bars: tuple[Bar, ...]
    visits: tuple[Visit, ...]


@dataclass(frozen=True)
class Gantt:
    """Rows per technician over the hours ``first_hour``..``last_hour`` (local time)."""

    rows: tuple[GanttRow, ...]
    first_hour: int
    last_hour: int

    @property
    def hours(self) -> list[tuple[int, float]]:
        span = self.last_hour - self.first_hour
        return [
            (h, 100.0 * (h - self.first_hour) / span)
            for h in range(self.first_hour, self.last_hour)
        ]


def _hour(at: object) -> float:
    local = timezone.localtime(at)  # type: ignore[arg-type]
    return local.hour + local.minute / 60 + local.second / 3600


def gantt(visits: list[Visit]) -> Gantt:
    """The timeline of each technician with visits (travel drawn before each visit)."""
    by_tech: dict[int, list[Visit]] = {}
    for v in visits:
        by_tech.setdefault(v.technician_id, []).append(v)
    starts = [_hour(v.start) - v.travel_minutes / 60 for v in visits]
    ends = [_hour(v.end) for v in visits]
    first = max(0, math.floor(min(starts, default=8.0)))
    last = min(24, max(first + 1, math.ceil(max(ends, default=16.0))))
    span = float(last - first)
    rows = []
    for i, (_tech_id, route) in enumerate(by_tech.items()):
        bars: list[Bar] = []
        for v in sorted(route, key=lambda x: x.sequence):
            s, e = _hour(v.start), _hour(v.end)
            travel = v.travel_minutes / 60
            if travel > 0:
                left = max(0.0, s - travel - first)
                bars.append(
                    Bar(100 * left / span, 100 * min(travel, s - first) / span, "travel", None, "")
                )
            bars.append(
                Bar(100 * (s - first) / span, 100 * (e - s) / span, "visit", v, v.ticket.number)
            )
        rows.append(
            GanttRow(route[0].technician, COLOURS[i % len(COLOURS)], tuple(bars), tuple(route))
        )
    return Gantt(tuple(rows), first, last)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Route:
    colour: str
    points: str  # SVG polyline points
    base: Point
    stops: tuple[Point, ...]


@dataclass(frozen=True)
class Sketch:
    routes: tuple[Route, ...]
    unplanned: tuple[Point, ...]
    size: float = SKETCH


def sketch(gantt_rows: tuple[GanttRow, ...], unplanned: list[tuple[str, float, float]]) -> Sketch:
    """Routes from each home base through its sites and back, and the unplanned sites."""
    coords: list[tuple[float, float]] = [(lat, lon) for _n, lat, lon in unplanned]
    for row in gantt_rows:
        base = getattr(row.technician, "base", None)
        if base is not None:
            coords.append((base.latitude, base.longitude))
        for v in row.visits:
            site = v.ticket.asset.site if v.ticket.asset else None
            if site is not None and site.latitude is not None and site.longitude is not None:
                coords.append((site.latitude, site.longitude))
    if not coords:
        return Sketch((), ())
    lats = [c[0] for c in coords]
    lons = [c[1] for c in coords]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    width = max((max(lons) - min(lons)) * shrink, 1e-6)
    height = max(max(lats) - min(lats), 1e-6)
    scale = (SKETCH - 2 * MARGIN) / max(width, height)

    def project(lat: float, lon: float, label: str) -> Point:
        x = MARGIN + (lon - min(lons)) * shrink * scale
        y = MARGIN + (max(lats) - lat) * scale
        return Point(round(x, 1), round(y, 1), label)

    routes = []
    for row in gantt_rows:
        base = getattr(row.technician, "base", None)
        if base is None:
            continue
        home = project(base.latitude, base.longitude, row.technician.name)
        stops = []
        for v in row.visits:
            site = v.ticket.asset.site if v.ticket.asset else None
            if site is not None and site.latitude is not None and site.longitude is not None:
                stops.append(
                    project(site.latitude, site.longitude, f"{v.ticket.number} · {site.city}")
                )
        path = [home, *stops, home]
        routes.append(Route(row.colour, " ".join(f"{p.x},{p.y}" for p in path), home, tuple(stops)))
    return Sketch(tuple(routes), tuple(project(lat, lon, n) for n, lat, lon in unplanned))
