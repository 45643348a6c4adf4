"""The fast timestamp parsers: day-first ServiceNow dates, strptime formats, zones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from servicegate.importers.dates import day_first_parser, format_parser, zone


def test_day_first_dates_read_in_utc_by_default() -> None:
    parse = day_first_parser(UTC)
    assert parse("29/2/2016 01:16") == datetime(2016, 2, 29, 1, 16, tzinfo=UTC)
    assert parse("5/3/2016 12:00:30") == datetime(2016, 3, 5, 12, 0, 30, tzinfo=UTC)


def test_local_time_is_converted_to_utc_across_dst() -> None:
    parse = day_first_parser(zone("Europe/Berlin"))
    assert parse("1/1/2016 12:00").hour == 11  # CET
    assert parse("1/7/2016 12:00").hour == 10  # CEST


@pytest.mark.parametrize("raw", ["31/2/2016 10:00", "29/2/2017 10:00", "1/13/2016 10:00"])
def test_impossible_dates_raise(raw: str) -> None:
    with pytest.raises(ValueError):
        day_first_parser(UTC)(raw)


@pytest.mark.parametrize("raw", ["2016-02-29 01:16", "29/2/16 01:16", "yesterday"])
def test_other_shapes_raise(raw: str) -> None:
    with pytest.raises(ValueError):
        day_first_parser(UTC)(raw)


def test_iso_and_strptime_formats() -> None:
    iso = format_parser("iso", UTC)
    assert iso("2010-03-31T15:59:42+01:00") == datetime(2010, 3, 31, 14, 59, 42, tzinfo=UTC)
    us = format_parser("%m/%d/%Y %I:%M:%S %p", zone("America/New_York"))
    assert us("06/26/2018 10:58:54 AM") == datetime(2018, 6, 26, 14, 58, 54, tzinfo=UTC)


def test_unknown_zone_says_what_to_use() -> None:
    with pytest.raises(ValueError, match="Unknown time zone 'Mars/Olympus'"):
        zone("Mars/Olympus")
