"""Business calendars: week view, holidays, editing with engine validation, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.calendars.models import BusinessCalendar, CalendarRevision
from servicegate.calendars.selectors import holidays_of_year, week_view
from servicegate.calendars.services import calendar_save
from servicegate.calendars.signals import calendar_changed
from servicegate.calendars.toml import definition_to_toml
from servicegate.engines.calendars import CalendarError, parse_calendar
from servicegate.engines.tests.calendars_fixtures import SERVICE_HOURS_TOML as BAVARIA

pytestmark = pytest.mark.django_db


@pytest.fixture
def quinn(persona: Callable[[str], User]) -> User:
    return persona("quinn")


@pytest.fixture
def bavaria(quinn: User) -> BusinessCalendar:
    return calendar_save(
        calendar=None,
        name="Bavaria",
        description="office hours",
        source=BAVARIA,
        by=quinn,
    )


def test_saving_stores_the_engine_form_and_a_revision(bavaria: BusinessCalendar) -> None:
    assert bavaria.timezone == "Europe/Berlin"
    assert bavaria.definition["week"]["tue"][-1] == "22:00-06:00"
    assert CalendarRevision.objects.filter(calendar=bavaria).count() == 1


def test_toml_round_trip_gives_the_same_calendar(bavaria: BusinessCalendar) -> None:
    assert parse_calendar(definition_to_toml(bavaria.definition)) == parse_calendar(BAVARIA)


def test_change_sends_calendar_changed_after_commit(
    bavaria: BusinessCalendar, quinn: User, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[BusinessCalendar] = []

    def listener(sender: object, calendar: BusinessCalendar, **kwargs: object) -> None:
        received.append(calendar)

    calendar_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            calendar_save(
                calendar=bavaria,
                name="Bavaria",
                description="",
                source=BAVARIA.replace("13:00-15:30", "13:00-16:00"),
                by=quinn,
                comment="longer Friday",
            )
        assert received == [bavaria]
        with django_capture_on_commit_callbacks(execute=True):
            calendar_save(
                calendar=bavaria,
                name="Bavaria",
                description="x",
                source=BAVARIA.replace("13:00-15:30", "13:00-16:00"),
                by=quinn,
            )
        assert len(received) == 1  # no change of definition, no recomputation
    finally:
        calendar_changed.disconnect(listener)
    assert CalendarRevision.objects.filter(calendar=bavaria).count() == 2


def test_malformed_calendar_is_refused_and_nothing_stored(quinn: User) -> None:
    line = 1 + BAVARIA[: BAVARIA.index('"22:00-06:00"')].count("\n")
    with pytest.raises(CalendarError, match=f"line {line}"):
        calendar_save(
            calendar=None,
            name="Broken",
            description="",
            source=BAVARIA.replace('"08:00-12:00", "13:00-17:00", "22:00-06:00"', '"25:00-26:00"'),
            by=quinn,
        )
    assert not BusinessCalendar.objects.filter(name="Broken").exists()


def test_week_view_spills_overnight_interval_into_the_next_day() -> None:
    rows = week_view(parse_calendar(BAVARIA))
    tuesday, wednesday = rows[1], rows[2]
    assert tuesday.open_hours == 16.0  # 4 + 4 + 8
    assert wednesday.blocks[0].continued is True
    assert wednesday.blocks[0].width == pytest.approx(25.0)  # 00:00-06:00


def test_holidays_of_year_merges_generated_and_explicit() -> None:
    found = {h.day.isoformat(): h for h in holidays_of_year(parse_calendar(BAVARIA), 2026)}
    assert found["2026-01-06"].source == "generated"  # Heilige Drei Könige (Bavaria)
    assert found["2026-12-24"].source == "explicit"
    assert "2027-01-01" not in found


def test_viewer_reads_but_cannot_edit(
    client: Client, persona: Callable[[str], User], bavaria: BusinessCalendar
) -> None:
    client.force_login(persona("victor"))
    assert client.get(f"/calendars/{bavaria.pk}/").status_code == 200
    assert client.get(f"/calendars/{bavaria.pk}/edit/").status_code == 403
    response = client.post("/calendars/new/", {"name": "x", "source": BAVARIA})
    assert response.status_code == 403
    assert not BusinessCalendar.objects.filter(name="x").exists()


def test_sales_cannot_edit_calendars(
    client: Client, persona: Callable[[str], User], bavaria: BusinessCalendar
) -> None:
    client.force_login(persona("alice"))
    assert client.get(f"/calendars/{bavaria.pk}/edit/").status_code == 403


def test_form_shows_the_engine_error_next_to_the_field(client: Client, quinn: User) -> None:
    client.force_login(quinn)
    response = client.post(
        "/calendars/new/", {"name": "Bad", "source": 'timezone = "Mars/Olympus"\n[week]\n'}
    )
    assert response.status_code == 200
    assert "Mars/Olympus" in response.content.decode()
    assert not BusinessCalendar.objects.filter(name="Bad").exists()


def test_detail_page_shows_week_holidays_and_history(
    client: Client, quinn: User, bavaria: BusinessCalendar
) -> None:
    client.force_login(quinn)
    page = client.get(f"/calendars/{bavaria.pk}/?year=2026").content.decode()
    assert "22:00–06:00" in page
    assert "06.01.2026" in page
    partial = client.get(f"/calendars/{bavaria.pk}/?year=2027", headers={"HX-Request": "true"})
    assert "<h1>" not in partial.content.decode()
    assert "06.01.2027" in partial.content.decode()


def test_download_gives_the_calendar_file(
    client: Client, quinn: User, bavaria: BusinessCalendar
) -> None:
    client.force_login(quinn)
    response = client.get(f"/calendars/{bavaria.pk}/calendar.toml")
    assert response["Content-Disposition"] == 'attachment; filename="Bavaria.toml"'
    assert parse_calendar(response.content.decode()) == parse_calendar(BAVARIA)
