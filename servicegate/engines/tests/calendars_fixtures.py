"""Calendars shared by the SLA engine tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from servicegate.engines.calendars import Calendar, parse_calendar

#: The example calendar of docs/calendars.md and the README (Bavarian service hours with
#: a Tuesday night shift): one file, read by every test that needs it.
SERVICE_HOURS_TOML = (
    Path(__file__).resolve().parents[3] / "docs" / "examples" / "service-hours.toml"
).read_text(encoding="utf-8")

BERLIN_TOML = """\
timezone = "Europe/Berlin"
[week]
mon = ["08:00-12:00", "13:00-17:00"]
tue = ["08:00-12:00", "13:00-17:00", "22:00-06:00"]
wed = ["08:00-12:00", "13:00-17:00"]
thu = ["08:00-12:00", "13:00-17:00"]
fri = ["08:00-12:00", "13:00-15:30"]
sat = ["09:00-12:00", "22:00-03:30"]
sun = ["02:15-02:45"]
[holidays]
dates = ["2026-12-24", "2026-12-25", "2026-12-26", "2026-03-31"]
country = "DE"
subdivision = "BY"
[special]
"2026-12-31" = ["08:00-12:00"]
"2026-10-25" = ["01:00-02:30", "02:40-04:00"]
"2026-03-29" = ["01:00-02:30", "02:45-03:30"]
"2026-05-01" = []
"""

NEW_YORK_TOML = """\
timezone = "America/New_York"
[week]
mon = ["07:00-11:00", "11:00-15:00", "23:00-02:30"]
tue = ["07:00-15:00"]
wed = ["07:00-15:00", "18:00-24:00"]
thu = ["07:00-15:00"]
fri = ["07:00-15:00"]
sat = ["01:30-01:45", "23:00-02:30"]
sun = ["00:00-24:00"]
[holidays]
dates = ["2026-11-26"]
country = "US"
subdivision = "NY"
[special]
"2026-03-08" = ["01:00-04:00"]
"2026-11-01" = ["00:30-01:30", "01:40-03:00"]
"""


def berlin() -> Calendar:
    return parse_calendar(BERLIN_TOML)


def new_york() -> Calendar:
    return parse_calendar(NEW_YORK_TOML)


def at(text: str, zone: str = "Europe/Berlin") -> int:
    """Epoch seconds of an ISO timestamp; naive values are wall time in ``zone``."""
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(zone))
    return int(dt.astimezone(UTC).timestamp())
