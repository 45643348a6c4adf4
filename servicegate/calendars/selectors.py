"""Reads for business calendars: the engine object, a week view, the holidays of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.engines.calendars import Calendar, calendar_from_dict

DAY = 86_400


def engine_calendar(calendar: BusinessCalendar) -> Calendar:
    """The engine's calendar for a stored one."""
    return calendar_from_dict(calendar.definition)


@dataclass(frozen=True)
class Block:
    """An open interval drawn in the week view, as a share of the day's 24 hours."""

    left: float  # percent of the day
    width: float  # percent of the day
    label: str
    continued: bool  # the part of an overnight interval that spills into this day


@dataclass(frozen=True)
class WeekRow:
    day: str
    blocks: tuple[Block, ...]
    open_hours: float


def _hhmm(seconds: int) -> str:
    seconds %= DAY if seconds != DAY else DAY + 1
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def week_view(cal: Calendar) -> list[WeekRow]:
    """Seven rows Monday..Sunday with the open blocks; overnight intervals spill over."""
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    rows: list[list[Block]] = [[] for _day in range(7)]
    hours = [0.0] * 7
    for i, intervals in enumerate(cal.week):
        for start, end in intervals:
            label = f"{_hhmm(start)}–{_hhmm(end) if end != DAY else '24:00'}"
            hours[i] += (end - start) / 3600
            first_end = min(end, DAY)
            rows[i].append(Block(100 * start / DAY, 100 * (first_end - start) / DAY, label, False))
            if end > DAY:
                rows[(i + 1) % 7].append(Block(0.0, 100 * (end - DAY) / DAY, label, True))
    return [
        WeekRow(names[i], tuple(sorted(rows[i], key=lambda b: b.left)), round(hours[i], 2))
        for i in range(7)
    ]


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    source: str  # "explicit" | "generated" | "special"


def holidays_of_year(cal: Calendar, year: int) -> list[Holiday]:
    """Explicit holidays, those generated from the ``holidays`` package, and special dates."""
    found: dict[date, Holiday] = {}
    if cal.holiday_country:
        import holidays as holidays_pkg

        generated = holidays_pkg.country_holidays(
            cal.holiday_country, subdiv=cal.holiday_subdivision, years=year
        )
        for day, name in sorted(generated.items()):
            found[day] = Holiday(day, str(name), "generated")
    for day in cal.holidays:
        if day.year == year:
            found[day] = Holiday(day, _("Closed (calendar)"), "explicit")
    for day, intervals in cal.special.items():
        if day.year == year:
            hours = ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in intervals)
            label = (
                _("Special opening: %(hours)s") % {"hours": hours}
                if intervals
                else _("Closed (special date)")
            )
            found[day] = Holiday(day, label, "special")
    return [found[d] for d in sorted(found)]


def weekly_open_hours(cal: Calendar) -> float:
    """Open hours of a normal week (no holidays)."""
    return round(sum(end - start for day in cal.week for start, end in day) / 3600, 2)
