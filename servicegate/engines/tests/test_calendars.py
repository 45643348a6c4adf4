"""Business calendars: file format, errors, DST, holidays, special days, timelines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from servicegate.engines import sla
from servicegate.engines.calendars import (
    Calendar,
    CalendarError,
    OutsideSpanError,
    calendar_from_dict,
    calendar_to_dict,
    compile_calendar,
    load_calendar,
    local_to_epoch,
    parse_calendar,
    twenty_four_seven,
)
from servicegate.engines.tests.calendars_fixtures import BERLIN_TOML, SERVICE_HOURS_TOML, at, berlin

H = 3600


def bs(cal: Calendar, start: str, end: str, zone: str = "Europe/Berlin") -> int:
    return int(sla.business_seconds(cal, [at(start, zone)], [at(end, zone)])[0])


def week_calendar(zone: str = "Europe/Berlin", **days: list[str]) -> Calendar:
    return calendar_from_dict({"timezone": zone, "week": days})


# ---------------------------------------------------------------------------- format


def test_issue_example_parses_into_seconds_from_local_midnight() -> None:
    cal = parse_calendar(SERVICE_HOURS_TOML)
    assert cal.timezone == "Europe/Berlin"
    assert cal.week[0] == ((8 * H, 12 * H), (13 * H, 17 * H))
    assert cal.week[1][-1] == (22 * H, 30 * H)  # runs 8 hours into Wednesday
    assert cal.week[4][-1] == (13 * H, 15 * H + 1800)
    assert cal.week[6] == ()
    assert cal.holidays == {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)}
    assert (cal.holiday_country, cal.holiday_subdivision) == ("DE", "BY")


def test_dict_form_round_trips() -> None:
    cal = berlin()
    data = calendar_to_dict(cal)
    assert data["special"]["2026-05-01"] == []
    assert data["week"]["tue"][-1] == "22:00-06:00"
    assert calendar_from_dict(data) == cal
    assert hash(calendar_from_dict(data)) == hash(cal)


def test_load_calendar_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "cal.toml"
    path.write_text(SERVICE_HOURS_TOML, encoding="utf-8")
    assert load_calendar(path) == parse_calendar(SERVICE_HOURS_TOML)


def test_missing_weekdays_are_closed() -> None:
    cal = week_calendar(mon=["08:00-09:00"])
    assert cal.week[1:] == ((),) * 6


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        ('timezone = "Mars/Olympus"\n', "timezone", 1, "Unknown time zone"),
        ('timezone = "UTC"\n[week]\nmon = ["25:00-26:00"]\n', "week.mon", 3, "invalid time"),
        ('timezone = "UTC"\n[week]\nmon = ["08:60-09:00"]\n', "week.mon", 3, "invalid time"),
        ('timezone = "UTC"\n[week]\nmon = ["24:00-02:00"]\n', "week.mon", 3, "24:00 only"),
        (
            'timezone = "UTC"\n[week]\nmon = []\ntue = ["08:00-12:00", "11:00-13:00"]\n',
            "week.tue",
            4,
            "overlap",
        ),
        ('timezone = "UTC"\n[week]\nthur = ["08:00-12:00"]\n', "week.thur", 3, "Unknown weekday"),
        ('timezone = "UTC"\ncolour = "blue"\n', "colour", 2, "Unknown key"),
        ('timezone = "UTC"\n[week]\nmon = ["08:00-08:00"]\n', "week.mon", 3, "empty"),
        ('timezone = "UTC"\n[week]\nmon = ["8 to 12"]\n', "week.mon", 3, "HH:MM-HH:MM"),
        ('timezone = "UTC"\n[holidays]\ndates = ["2026-02-30"]\n', "holidays.dates", 3, "date"),
        ('timezone = "UTC"\n[holidays]\ncountry = "XX"\n', "holidays.country", 3, "Unknown"),
        (
            'timezone = "UTC"\n[holidays]\ncountry = "DE"\nsubdivision = "ZZ"\n',
            "holidays.subdivision",
            4,
            "Unknown subdivision",
        ),
        ('timezone = "UTC"\n[holidays]\nsubdivision = "BY"\n', "holidays.subdivision", 3, "country"),  # noqa: E501
        ('timezone = "UTC"\n[holidays]\nfrom = "DE"\n', "holidays.from", 3, "Unknown key"),
        ('timezone = "UTC"\n[special]\n"2026-12-31" = ["16:00-17:00", "16:30-18:00"]\n',
         "special.2026-12-31", 3, "overlap"),
        ('[week]\nmon = []\n', "timezone", None, "needs a time zone"),
    ],
)  # fmt: skip
def test_bad_calendars_are_refused_naming_field_and_line(
    text: str, field: str, line: int | None, words: str
) -> None:
    with pytest.raises(CalendarError) as caught:
        parse_calendar(text)
    assert caught.value.field == field
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).endswith(".")


def test_invalid_toml_is_refused_with_its_position() -> None:
    with pytest.raises(CalendarError, match="not valid TOML"):
        parse_calendar('timezone = "UTC"\n[week\n', source="cal.toml")


def test_dict_errors_name_the_field_without_a_line() -> None:
    with pytest.raises(CalendarError) as caught:
        calendar_from_dict({"timezone": "UTC", "week": {"mon": ["9:00-25:00"]}})
    assert (caught.value.field, caught.value.line) == ("week.mon", None)


# ------------------------------------------------------------------------ textbook


def test_a_plain_weekday() -> None:
    cal = parse_calendar(SERVICE_HOURS_TOML)
    assert bs(cal, "2026-03-02T07:00", "2026-03-02T18:00") == 8 * H
    assert bs(cal, "2026-03-02T11:30", "2026-03-02T13:30") == H
    assert bs(cal, "2026-03-02T12:10", "2026-03-02T12:50") == 0
    assert bs(cal, "2026-03-02T10:00", "2026-03-02T10:00") == 0


def test_overnight_shift_over_spring_forward_is_one_hour_shorter() -> None:
    cal = week_calendar(sat=["22:00-06:00"])
    assert bs(cal, "2026-03-21T00:00", "2026-03-23T00:00") == 8 * H
    assert bs(cal, "2026-03-28T00:00", "2026-03-30T00:00") == 7 * H
    assert bs(cal, "2026-10-24T00:00", "2026-10-26T00:00") == 9 * H


def test_new_york_overnight_shift_over_dst_changes() -> None:
    cal = week_calendar("America/New_York", sat=["20:00-04:00"])
    assert bs(cal, "2026-03-07T00:00", "2026-03-09T00:00", "America/New_York") == 7 * H
    assert bs(cal, "2026-10-31T00:00", "2026-11-02T00:00", "America/New_York") == 9 * H


def test_nonexistent_times_map_forward_to_the_transition() -> None:
    # 02:00-03:00 does not exist on 2026-03-29 in Berlin: 02:30 maps to 03:00 CEST.
    cal = calendar_from_dict(
        {"timezone": "Europe/Berlin", "special": {"2026-03-29": ["02:30-04:00"]}}
    )
    assert bs(cal, "2026-03-29T00:00", "2026-03-30T00:00") == H
    walls = np.array([at("2026-03-29T02:30+00:00")])  # the wall reading as naive seconds
    assert local_to_epoch("Europe/Berlin", walls)[0] == at("2026-03-29T03:00+02:00")


def test_ambiguous_times_take_the_first_occurrence() -> None:
    # 02:00-03:00 happens twice on 2026-10-25 in Berlin; fold=0 is the CEST one.
    cal = calendar_from_dict(
        {"timezone": "Europe/Berlin", "special": {"2026-10-25": ["00:00-02:30"]}}
    )
    assert bs(cal, "2026-10-25T00:00", "2026-10-26T00:00") == 2 * H + 1800
    walls = np.array([at("2026-10-25T02:30+00:00")])
    assert local_to_epoch("Europe/Berlin", walls)[0] == at("2026-10-25T02:30+02:00")


def test_holiday_removes_the_intervals_starting_that_day() -> None:
    cal = calendar_from_dict(
        {
            "timezone": "Europe/Berlin",
            "week": {d: ["08:00-12:00", "22:00-06:00"] for d in ("mon", "tue", "wed")},
            "holidays": {"dates": ["2026-03-03"]},  # Tuesday
        }
    )
    # Monday's night shift runs into the holiday morning and still counts ...
    assert bs(cal, "2026-03-03T00:00", "2026-03-04T00:00") == 6 * H
    # ... while the holiday's own night shift (into Wednesday) is gone.
    assert bs(cal, "2026-03-04T00:00", "2026-03-04T07:00") == 0


def test_generated_public_holidays_close_the_day() -> None:
    cal = parse_calendar(SERVICE_HOURS_TOML)
    assert bs(cal, "2026-01-06T00:00", "2026-01-07T00:00") == 0  # Epiphany (Bavaria), Tuesday
    # The holiday's night shift would have run 00:00-06:00 into Wednesday: gone too.
    assert bs(cal, "2026-01-07T00:00", "2026-01-08T00:00") == 8 * H
    no_country = calendar_from_dict({**calendar_to_dict(cal), "holidays": {}})
    assert bs(no_country, "2026-01-06T00:00", "2026-01-07T00:00") == 10 * H


def test_special_dates_replace_the_day_and_win_over_holidays() -> None:
    cal = berlin()
    assert bs(cal, "2026-12-31T00:00", "2027-01-01T00:00") == 4 * H  # special 08:00-12:00
    assert bs(cal, "2026-05-01T00:00", "2026-05-02T00:00") == 0  # [] closes the day
    opened = calendar_from_dict(
        {**calendar_to_dict(cal), "special": {"2026-12-24": ["10:00-11:00"]}}
    )
    assert bs(opened, "2026-12-24T00:00", "2026-12-25T00:00") == H


def test_24_00_ends_a_day() -> None:
    cal = week_calendar(mon=["16:00-24:00"], tue=["00:00-02:00"])
    assert cal.week[0] == ((16 * H, 24 * H),)
    # Monday 16:00 to Tuesday 02:00 is one open stretch of 10 hours.
    timeline = compile_calendar(cal, at("2026-03-01T00:00"), at("2026-03-10T00:00"))
    i = np.searchsorted(timeline.opens, at("2026-03-02T16:00"))
    assert timeline.closes[i] == at("2026-03-03T02:00")


def test_twenty_four_seven_counts_wall_clock_time() -> None:
    cal = twenty_four_seven("Europe/Berlin")
    assert bs(cal, "2026-03-23T00:00", "2026-03-30T00:00") == 7 * 24 * H - H
    assert bs(cal, "2026-01-01T00:00", "2027-01-01T00:00") == 365 * 24 * H
    assert twenty_four_seven().week == (((0, 24 * H),),) * 7
    timeline = compile_calendar(cal, at("2026-01-01T00:00"), at("2027-01-01T00:00"))
    assert timeline.opens.size == 1  # no seams at midnight


# ------------------------------------------------------------------------ timelines


def test_timeline_is_open_and_next_open() -> None:
    cal = parse_calendar(SERVICE_HOURS_TOML)
    timeline = compile_calendar(cal, at("2026-03-01T00:00"), at("2026-04-01T00:00"))
    t = np.array([at("2026-03-02T08:00"), at("2026-03-02T12:00"), at("2026-03-02T16:59:59")])
    assert timeline.is_open(t).tolist() == [True, False, True]
    nxt = timeline.next_open(np.array([at("2026-03-02T12:00"), at("2026-03-06T15:30")]))
    assert nxt.tolist() == [at("2026-03-02T13:00"), at("2026-03-07T09:00")]


def test_timeline_refuses_queries_outside_its_span() -> None:
    cal = parse_calendar(SERVICE_HOURS_TOML)
    timeline = compile_calendar(cal, at("2026-03-01T00:00"), at("2026-04-01T00:00"))
    with pytest.raises(OutsideSpanError):
        timeline.business_seconds([at("2026-03-02T00:00")], [at("2026-05-01T00:00")])
    with pytest.raises(OutsideSpanError):
        timeline.add_business_seconds([at("2026-03-30T00:00")], [400 * H])


def test_compiled_timelines_are_cached() -> None:
    cal = parse_calendar(SERVICE_HOURS_TOML)
    first = compile_calendar(cal, 0, 10**9)
    assert compile_calendar(parse_calendar(SERVICE_HOURS_TOML), 0, 10**9) is first


def test_timeline_add_business_seconds_is_the_inverse() -> None:
    cal = parse_calendar(SERVICE_HOURS_TOML)
    timeline = compile_calendar(cal, at("2026-03-01T00:00"), at("2026-04-01T00:00"))
    start = at("2026-03-02T16:00")
    assert timeline.add_business_seconds([start], [H]).tolist() == [at("2026-03-02T17:00")]
    assert timeline.add_business_seconds([start], [H], at_open=True).tolist() == [
        at("2026-03-03T08:00")
    ]
    assert timeline.add_business_seconds([at("2026-03-01T10:00")], [0]).tolist() == [
        at("2026-03-01T10:00")
    ]


def test_berlin_fixture_is_valid() -> None:
    assert parse_calendar(BERLIN_TOML).special[date(2026, 5, 1)] == ()
