"""Fast, cached timestamp parsing for imports.

Event logs repeat the same timestamps many times (minute resolution), so every parser
memoises by the raw string; the first parse of a string builds the datetime directly
from its parts (no ``dateutil``). Naive timestamps are read in the given zone and
returned as aware UTC datetimes; an impossible date (31 February) raises ValueError.
Its sentence is in the active language (:func:`reason` translates Python's own).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

DateParser = Callable[[str], datetime]
# Python's reasons for an impossible date or time of day; the catalogue translates them.
CALENDAR_REASONS = frozenset(
    {
        gettext_noop("day is out of range for month"),
        gettext_noop("month must be in 1..12"),
        gettext_noop("hour must be in 0..23"),
        gettext_noop("minute must be in 0..59"),
        gettext_noop("second must be in 0..59"),
    }
)


def reason(exc: ValueError) -> str:
    """The sentence of a date parser's ValueError, in the active language where known."""
    text = str(exc)
    return _(text) if text in CALENDAR_REASONS else text


def zone(name: str) -> tzinfo:
    """The time zone ``name`` (IANA), or ValueError with a sentence saying what to use."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            _("Unknown time zone %(name)r: use an IANA name such as UTC or Europe/Berlin.")
            % {"name": name}
        ) from None


def bounds() -> tuple[datetime, datetime]:
    """The earliest and latest instant an import accepts (settings, default 1970 … now + 10 y)."""
    earliest = datetime(settings.SERVICEGATE_IMPORT_EARLIEST_YEAR, 1, 1, tzinfo=UTC)
    years = settings.SERVICEGATE_IMPORT_FUTURE_YEARS
    return earliest, datetime.now(UTC) + timedelta(days=366 * years)


def _out_of_range(earliest: datetime, latest: datetime) -> ValueError:
    return ValueError(
        _("the date lies outside %(earliest)s … %(latest)s")
        % {
            "earliest": earliest.date().isoformat(),
            "latest": latest.date().isoformat(),
        }
    )


def _bounded(parse: DateParser) -> DateParser:
    """``parse`` refusing instants outside :func:`bounds` (and years Python cannot convert)."""
    earliest, latest = bounds()

    def checked(raw: str) -> datetime:
        try:
            value = parse(raw)
        except OverflowError:
            raise _out_of_range(earliest, latest) from None
        if not earliest <= value <= latest:
            raise _out_of_range(earliest, latest)
        return value

    return checked


def _to_utc(value: datetime, tz: tzinfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _not_day_first() -> ValueError:
    return ValueError(_("expected a date like 29/2/2016 01:16 (day/month/year)"))


def day_first_parser(tz: tzinfo) -> DateParser:
    """Parse ``D/M/YYYY HH:MM[:SS]`` (ServiceNow exports with a day-first locale).

    Besides the whole strings, the date and the time of day are cached separately:
    a log has a few hundred days and at most 86,400 times of day, so most new strings
    cost two lookups and an addition.
    """
    cache: dict[str, datetime] = {}
    days: dict[str, datetime] = {}
    clocks: dict[str, timedelta] = {}
    utc = tz is UTC

    def day_of(text: str) -> datetime:
        day, month, year = text.split("/")
        if len(year) != 4:
            raise _not_day_first()
        value = days[text] = datetime(int(year), int(month), int(day), tzinfo=UTC if utc else None)
        return value

    def clock_of(text: str) -> timedelta:
        hms = text.split(":") if text else ["0", "0"]
        if len(hms) not in (2, 3):
            raise _not_day_first()
        of_day = time(int(hms[0]), int(hms[1]), int(hms[2]) if len(hms) == 3 else 0)
        value = clocks[text] = timedelta(
            hours=of_day.hour, minutes=of_day.minute, seconds=of_day.second
        )
        return value

    def parse(raw: str) -> datetime:
        value = cache.get(raw)
        if value is None:
            date_part, _, time_part = raw.strip().partition(" ")
            day = days.get(date_part) or day_of(date_part)
            clock = clocks.get(time_part)
            local = day + (clock_of(time_part) if clock is None else clock)
            value = cache[raw] = local if utc else _to_utc(local, tz)
        return value

    return _bounded(parse)


def format_parser(fmt: str, tz: tzinfo) -> DateParser:
    """Parse timestamps with a ``strptime`` format, or ``iso`` for ISO 8601."""
    cache: dict[str, datetime] = {}
    if fmt.lower() == "iso":

        def convert(raw: str) -> datetime:
            return datetime.fromisoformat(raw.strip())

    else:

        def convert(raw: str) -> datetime:
            return datetime.strptime(raw.strip(), fmt)

    def parse(raw: str) -> datetime:
        value = cache.get(raw)
        if value is None:
            value = cache[raw] = _to_utc(convert(raw), tz)
        return value

    return _bounded(parse)
