"""Business calendars: weekly schedules in local wall-clock time, holidays, special days.

A :class:`Calendar` is an immutable description (time zone, weekly intervals, holidays,
special dates), read from TOML (:func:`parse_calendar`, :func:`load_calendar`) or from
its dict/JSON form (:func:`calendar_from_dict`, :func:`calendar_to_dict`).
:func:`compile_calendar` turns it into a :class:`~servicegate.engines.open_intervals.OpenIntervals`:
sorted, disjoint open intervals in UTC epoch seconds plus cumulative open seconds, on
which business time is a pair of ``np.searchsorted`` calls. The time-zone arithmetic
and the open intervals live in :mod:`servicegate.engines.open_intervals` and are re-exported here.

Conventions (see ``docs/calendars.md``):

* An interval ``(start_s, end_s)`` is given in seconds from local midnight of the day it
  *starts* on; ``end_s`` may exceed 86 400 for intervals that run past midnight.
* A holiday removes the intervals starting on that date; a special date replaces them.
* Local wall time → UTC: an ambiguous time (autumn fall-back) takes its first occurrence
  (``fold=0``); a nonexistent time (spring-forward gap) maps forward to the transition
  instant, i.e. the first instant whose wall clock reads at least that time. This mapping
  is monotone, so an interval never turns negative across a transition.

Pure Python/numpy; never imports Django.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from servicegate.engines.open_intervals import DAY as DAY
from servicegate.engines.open_intervals import BoolArray as BoolArray
from servicegate.engines.open_intervals import IntArray as IntArray
from servicegate.engines.open_intervals import (
    OpenIntervals,
    OutsideSpanError,
    epoch_to_local,
    local_date,
    local_to_epoch,
    merge_intervals,
)
from servicegate.engines.open_intervals import utc_year as utc_year
from servicegate.engines.open_intervals import utc_year_start as utc_year_start

__all__ = [
    "WEEKDAYS",
    "Calendar",
    "CalendarError",
    "Interval",
    "OpenIntervals",
    "OutsideSpanError",
    "calendar_from_dict",
    "calendar_to_dict",
    "compile_calendar",
    "epoch_to_local",
    "load_calendar",
    "local_to_epoch",
    "parse_calendar",
    "twenty_four_seven",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Interval = tuple[int, int]

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_TOP_KEYS = frozenset({"timezone", "week", "holidays", "special"})
_HOLIDAY_KEYS = frozenset({"dates", "country", "subdivision"})
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class CalendarError(ValueError):
    """A calendar could not be read; ``field`` and ``line`` say where (either may be None)."""

    def __init__(self, message: str, *, field: str | None = None, line: int | None = None):
        where = ""
        if field is not None:
            where = f"In field '{field}'"
            where += f" (line {line})" if line is not None else ""
            where += ": "
        super().__init__(where + message)
        self.field = field
        self.line = line


@dataclass(frozen=True)
class Calendar:
    """A business calendar.

    ``week`` holds 7 tuples (Monday..Sunday) of ``(start_s, end_s)`` seconds from local
    midnight, sorted and non-overlapping within a day; ``end_s`` may exceed 86 400 for an
    interval that runs past midnight. ``special`` maps a date to the intervals that replace
    that day's weekly intervals (an empty tuple closes the day); it wins over ``holidays``.
    """

    timezone: str
    week: tuple[tuple[Interval, ...], ...]
    holidays: frozenset[date] = frozenset()
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    special: Mapping[date, tuple[Interval, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def __post_init__(self) -> None:
        # Freeze `special` so a cached OpenIntervals can never go stale behind our back.
        frozen = MappingProxyType({d: tuple(v) for d, v in sorted(self.special.items())})
        object.__setattr__(self, "special", frozen)
        if len(self.week) != 7:
            raise CalendarError("The week needs exactly 7 days, Monday to Sunday.", field="week")

    def intervals_on(
        self, day: date, generated: frozenset[date] = frozenset()
    ) -> tuple[Interval, ...]:
        """Intervals starting on ``day``: special date, else nothing on a holiday, else weekly."""
        if day in self.special:
            return self.special[day]
        if day in self.holidays or day in generated:
            return ()
        return self.week[day.weekday()]


# --------------------------------------------------------------------------- parsing


def _line_of(text: str | None, section: str | None, key: str | None) -> int | None:
    """1-based line of ``key`` (inside ``[section]`` when given) in TOML ``text``, if found.

    Falls back to a table header ``[section.key]`` / ``[key]`` and then to ``[section]``.
    """
    if text is None:
        return None
    lines = text.splitlines()
    headers = [i for i, ln in enumerate(lines) if re.match(r"^\s*\[", ln)]

    def header_line(name: str) -> int | None:
        pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        return next((i for i in headers if pattern.match(lines[i])), None)

    begin = 0
    if section is not None:
        found = header_line(section)
        if found is None:
            return None
        begin = found + 1
    stop = next((i for i in headers if i >= begin), len(lines))
    if key is not None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(begin, stop):
            if pattern.match(lines[i]):
                return i + 1
        table = header_line(f"{section}.{key}" if section else key)
        if table is not None:
            return table + 1
    return begin if section is not None else None


@dataclass(frozen=True)
class _Source:
    """Where a value came from, so errors can name field and line."""

    text: str | None

    def error(self, message: str, section: str | None, key: str | None) -> CalendarError:
        name = ".".join(p for p in (section, key) if p is not None) or None
        return CalendarError(message, field=name, line=_line_of(self.text, section, key))


def _parse_time(value: str, *, is_end: bool) -> int | None:
    """Seconds from midnight for "HH:MM" or "HH:MM:SS"; "24:00" only as an end; else None."""
    match = _TIME_RE.match(value.strip())
    if match is None:
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    if minutes > 59 or seconds > 59:
        return None
    total = hours * 3600 + minutes * 60 + seconds
    if hours == 24 and total == DAY and is_end:
        return DAY
    return total if hours < 24 else None


def _parse_interval(text: Any, src: _Source, section: str, key: str) -> Interval:
    """``"08:00-12:00"`` → ``(28800, 43200)``; ``"22:00-06:00"`` runs into the next day."""
    if not isinstance(text, str) or text.count("-") != 1:
        raise src.error(
            f'The interval {text!r} is not of the form "HH:MM-HH:MM"; write e.g. "08:00-12:00".',
            section,
            key,
        )
    left, right = text.split("-")
    start = _parse_time(left, is_end=False)
    end = _parse_time(right, is_end=True)
    if start is None or end is None:
        raise src.error(
            f"The interval {text!r} contains an invalid time; use 00:00 to 23:59 "
            "(24:00 only as an end).",
            section,
            key,
        )
    if end == start:
        raise src.error(
            f'The interval {text!r} is empty; remove it, or write "00:00-24:00" for a whole day.',
            section,
            key,
        )
    return (start, end if end > start else end + DAY)


def _parse_day(values: Any, src: _Source, section: str, key: str) -> tuple[Interval, ...]:
    """A day's list of intervals, sorted; overlapping intervals are refused."""
    if not isinstance(values, list | tuple):
        raise src.error(
            f'Expected a list of intervals like ["08:00-12:00"], got {values!r}.', section, key
        )
    intervals = sorted(_parse_interval(v, src, section, key) for v in values)
    for (a0, a1), (b0, b1) in pairwise(intervals):
        if b0 < a1:
            raise src.error(
                f"The intervals {_fmt(a0, a1)} and {_fmt(b0, b1)} overlap; "
                "merge them or fix their times.",
                section,
                key,
            )
    return tuple(intervals)


def _fmt(start: int, end: int) -> str:
    """Interval as "HH:MM-HH:MM" (seconds shown only when non-zero)."""

    def one(s: int) -> str:
        h, rest = divmod(s, 3600)
        m, sec = divmod(rest, 60)
        return f"{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")

    return f"{one(start)}-{one(end if end <= DAY else end - DAY)}"


def _parse_date(value: Any, src: _Source, section: str, key: str) -> date:
    """A TOML date literal or an ISO "YYYY-MM-DD" string."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise src.error(f'{value!r} is not a date; write dates as "YYYY-MM-DD".', section, key)


def _check_keys(
    data: Mapping[str, Any], allowed: Iterable[str], src: _Source, section: str | None
) -> None:
    """Refuse keys not in ``allowed`` (typos would otherwise be silently ignored)."""
    allowed = list(allowed)
    for key in data:
        if key not in allowed:
            what = "weekday" if section == "week" else "key"
            raise src.error(
                f"Unknown {what} '{key}'; allowed are: {', '.join(allowed)}.", section, key
            )


def _parse_zone(value: Any, src: _Source) -> str:
    if not isinstance(value, str) or not value:
        raise src.error(
            'A calendar needs a time zone, e.g. timezone = "Europe/Berlin".', None, "timezone"
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise src.error(
            f'Unknown time zone {value!r}; use an IANA name such as "Europe/Berlin".',
            None,
            "timezone",
        ) from None
    return value


def _parse_holidays(data: Any, src: _Source) -> tuple[frozenset[date], str | None, str | None]:
    if data is None:
        return frozenset(), None, None
    if not isinstance(data, Mapping):
        raise src.error(
            "[holidays] must be a table with dates, country, subdivision.", "holidays", None
        )
    _check_keys(data, _HOLIDAY_KEYS, src, "holidays")
    dates = data.get("dates", [])
    if not isinstance(dates, list | tuple):
        raise src.error('Expected a list of dates like ["2026-12-24"].', "holidays", "dates")
    parsed = frozenset(_parse_date(d, src, "holidays", "dates") for d in dates)
    country, subdivision = data.get("country"), data.get("subdivision")
    for key, value in (("country", country), ("subdivision", subdivision)):
        if value is not None and not isinstance(value, str):
            raise src.error(f'Expected a code like "DE" or "BY", got {value!r}.', "holidays", key)
    if subdivision is not None and country is None:
        raise src.error(
            'A subdivision needs a country; add country = "DE".', "holidays", "subdivision"
        )
    if country is not None:
        _check_holiday_source(country, subdivision, src)
    return parsed, country, subdivision


def _check_holiday_source(country: str, subdivision: str | None, src: _Source) -> None:
    """Refuse countries/subdivisions the ``holidays`` package does not know."""
    import holidays as holidays_pkg  # imported lazily: it is slow to import

    supported: Mapping[str, Any] = holidays_pkg.list_supported_countries()
    if country not in supported:
        raise src.error(
            f'Unknown holiday country {country!r}; use an ISO 3166 code such as "DE".',
            "holidays",
            "country",
        )
    if subdivision is not None and subdivision not in supported[country]:
        known = ", ".join(supported[country]) or "none"
        raise src.error(
            f"Unknown subdivision {subdivision!r} for {country}; known: {known}.",
            "holidays",
            "subdivision",
        )


def _parse_special(data: Any, src: _Source) -> dict[date, tuple[Interval, ...]]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise src.error("[special] must map dates to interval lists.", "special", None)
    out: dict[date, tuple[Interval, ...]] = {}
    for key, value in data.items():
        day = _parse_date(key, src, "special", str(key))
        out[day] = _parse_day(value, src, "special", str(key))
    return out


def _from_mapping(data: Mapping[str, Any], src: _Source) -> Calendar:
    _check_keys(data, _TOP_KEYS, src, None)
    zone = _parse_zone(data.get("timezone"), src)
    week_data = data.get("week", {})
    if not isinstance(week_data, Mapping):
        raise src.error("[week] must map weekdays (mon..sun) to interval lists.", "week", None)
    _check_keys(week_data, WEEKDAYS, src, "week")
    week = tuple(_parse_day(week_data.get(d, []), src, "week", d) for d in WEEKDAYS)
    dates, country, subdivision = _parse_holidays(data.get("holidays"), src)
    special = _parse_special(data.get("special"), src)
    return Calendar(zone, week, dates, country, subdivision, MappingProxyType(special))


def parse_calendar(text: str, *, source: str = "<calendar>") -> Calendar:
    """Parse a TOML calendar (format in ``docs/calendars.md``); raise :class:`CalendarError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError(
            f"{source} is not valid TOML: {exc}. Fix the syntax and try again."
        ) from None
    return _from_mapping(data, _Source(text))


def load_calendar(path: str | Path) -> Calendar:
    """Read and parse a TOML calendar file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarError(f"Cannot read the calendar file {path}: {exc.strerror}.") from None
    return parse_calendar(text, source=str(path))


def calendar_from_dict(data: Mapping[str, Any]) -> Calendar:
    """Build a calendar from the dict/JSON form (same keys as the TOML file)."""
    if not isinstance(data, Mapping):
        raise CalendarError("A calendar must be a mapping with timezone, week, holidays, special.")
    return _from_mapping(data, _Source(None))


def calendar_to_dict(cal: Calendar) -> dict[str, Any]:
    """The JSON-serialisable form of ``cal``; ``calendar_from_dict`` reads it back unchanged."""
    out: dict[str, Any] = {
        "timezone": cal.timezone,
        "week": {d: [_fmt(a, b) for a, b in cal.week[i]] for i, d in enumerate(WEEKDAYS)},
    }
    holidays: dict[str, Any] = {"dates": [d.isoformat() for d in sorted(cal.holidays)]}
    if cal.holiday_country is not None:
        holidays["country"] = cal.holiday_country
    if cal.holiday_subdivision is not None:
        holidays["subdivision"] = cal.holiday_subdivision
    out["holidays"] = holidays
    out["special"] = {d.isoformat(): [_fmt(a, b) for a, b in v] for d, v in cal.special.items()}
    return out


def twenty_four_seven(timezone: str = "UTC") -> Calendar:
    """Always open: "00:00-24:00" every day, no holidays."""
    _parse_zone(timezone, _Source(None))
    return Calendar(timezone, (((0, DAY),),) * 7)


# ------------------------------------------------------------------------ compilation


@lru_cache(maxsize=64)
def _generated_holidays(
    country: str | None, subdivision: str | None, years: tuple[int, int]
) -> frozenset[date]:
    if country is None:
        return frozenset()
    import holidays as holidays_pkg

    found = holidays_pkg.country_holidays(
        country, subdiv=subdivision, years=range(years[0], years[1] + 1)
    )
    return frozenset(found.keys())


def _wall_intervals(cal: Calendar, first: date, last: date) -> tuple[IntArray, IntArray]:
    """All intervals starting on local dates first..last, as wall seconds."""
    generated = _generated_holidays(
        cal.holiday_country, cal.holiday_subdivision, (first.year, last.year)
    )
    starts: list[int] = []
    ends: list[int] = []
    day = first
    while day <= last:
        base = (day.toordinal() - _EPOCH_ORDINAL) * DAY
        for a, b in cal.intervals_on(day, generated):
            starts.append(base + a)
            ends.append(base + b)
        day += timedelta(days=1)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def compile_calendar(cal: Calendar, start: int, end: int) -> OpenIntervals:
    """Open intervals of ``cal`` inside the UTC span ``[start, end]`` (epoch seconds).

    Cached per ``(calendar, start, end)``. Queries outside the span raise ``ValueError``,
    so pad generously (callers in :mod:`sla` compile whole years).
    """
    if end < start:
        raise ValueError("The span end must not be before its start.")
    return _compile_cached(cal, int(start), int(end))


@lru_cache(maxsize=32)
def _compile_cached(cal: Calendar, start: int, end: int) -> OpenIntervals:
    # An interval starting on day d can reach into d+2 local midnight; cover that.
    first = local_date(cal.timezone, start) - timedelta(days=2)
    last = local_date(cal.timezone, end) + timedelta(days=1)
    wall_open, wall_close = _wall_intervals(cal, first, last)
    both = local_to_epoch(cal.timezone, np.concatenate([wall_open, wall_close]))
    opens, closes = merge_intervals(both[: wall_open.size], both[wall_open.size :])
    opens, closes = np.clip(opens, start, end), np.clip(closes, start, end)
    keep = closes > opens
    return OpenIntervals(opens[keep], closes[keep], start, end, cal.timezone)
