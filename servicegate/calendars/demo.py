"""Demo step: three business calendars (service hours, extended hours, 24x7)."""

from __future__ import annotations

from servicegate.calendars.models import BusinessCalendar, CalendarRevision
from servicegate.core.demo import DemoContext
from servicegate.engines.calendars import calendar_from_dict, calendar_to_dict

_WORKWEEK = ["08:00-12:00", "12:30-17:00"]
CALENDARS: tuple[tuple[str, str, dict[str, object]], ...] = (
    (
        "Service hours DE-BY",
        "Mon–Fri 08:00–17:00 with lunch break, Bavarian public holidays",
        {
            "timezone": "Europe/Berlin",
            "week": {
                "mon": _WORKWEEK,
                "tue": _WORKWEEK,
                "wed": _WORKWEEK,
                "thu": _WORKWEEK,
                "fri": ["08:00-12:00", "12:30-15:30"],
                "sat": [],
                "sun": [],
            },
            "holidays": {
                "dates": ["2025-12-24", "2025-12-31", "2026-12-24", "2026-12-31"],
                "country": "DE",
                "subdivision": "BY",
            },
        },
    ),
    (
        "Extended hours DE",
        "Mon–Sat 07:00–20:00, German public holidays",
        {
            "timezone": "Europe/Berlin",
            "week": {d: ["07:00-20:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
            | {"sun": []},
            "holidays": {"dates": [], "country": "DE"},
        },
    ),
    (
        "24x7",
        "Around the clock, every day",
        {
            "timezone": "Europe/Berlin",
            "week": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "holidays": {"dates": []},
        },
    ),
)


def build(ctx: DemoContext) -> None:
    """Create the demo calendars, each with its first revision."""
    calendars = []
    for name, description, definition in CALENDARS:
        normalised = calendar_to_dict(calendar_from_dict(definition))
        calendar = BusinessCalendar.objects.create(
            name=name, description=description, timezone="Europe/Berlin", definition=normalised
        )
        CalendarRevision.objects.create(
            calendar=calendar, definition=normalised, comment="demo organisation"
        )
        calendars.append(calendar)
    ctx.objects["calendars"] = calendars
    ctx.report(f"demo: {len(calendars)} calendars")
