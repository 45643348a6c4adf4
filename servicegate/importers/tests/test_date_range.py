"""Dates outside 1970 … now + 10 years are row errors in every importer, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import override_settings

from servicegate.importers.dates import day_first_parser, format_parser, zone
from servicegate.importers.errors import ImportFailure
from servicegate.importers.tests.conftest import NYC, read_rows, write_csv
from servicegate.operations.models import Ticket
from servicegate.operations.services import tickets_import


@pytest.mark.parametrize("raw", ["31/12/9999 23:59", "1/1/0001 00:00", "1/6/1969 12:00"])
@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "America/New_York"])
def test_day_first_dates_out_of_range_raise_value_error(raw: str, tz: str) -> None:
    with pytest.raises(ValueError, match="outside 1970-01-01"):
        day_first_parser(zone(tz))(raw)


@pytest.mark.parametrize("raw", ["12/31/9999 11:59:59 PM", "01/01/0001 12:00:00 AM"])
def test_strptime_dates_out_of_range_raise_value_error(raw: str) -> None:
    parse = format_parser("%m/%d/%Y %I:%M:%S %p", zone("America/New_York"))
    with pytest.raises(ValueError, match="outside"):
        parse(raw)


def test_iso_dates_out_of_range_raise_value_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        format_parser("iso", UTC)("9999-12-31T23:59:59+00:00")


def test_the_range_is_configurable() -> None:
    with override_settings(SERVICEGATE_IMPORT_EARLIEST_YEAR=1900):
        parse = day_first_parser(UTC)
        assert parse("1/1/1950 10:00") == datetime(1950, 1, 1, 10, tzinfo=UTC)
    assert day_first_parser(UTC)("1/1/2030 10:00").year == 2030


@pytest.mark.django_db
@pytest.mark.realdata
@pytest.mark.parametrize("raw", ["31/12/9999 23:59", "1/1/0001 00:00"])
def test_servicenow_import_refuses_far_dates(uci_slice: Path, tmp_path: Path, raw: str) -> None:
    rows = read_rows(uci_slice)
    rows[10][rows[0].index("opened_at")] = raw
    bad = write_csv(tmp_path / "far.csv", rows)
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="servicenow", path=bad)
    message = str(failure.value)
    assert "far.csv, line 11, column 'opened_at'" in message
    assert raw in message and "outside 1970-01-01" in message
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.realdata
def test_ticket_import_refuses_far_dates(shared_data: Path, tmp_path: Path) -> None:
    rows = read_rows(shared_data / NYC, limit=20)
    rows[5][rows[0].index("Created Date")] = "12/31/9999 11:59:59 PM"
    bad = write_csv(tmp_path / "far.csv", rows)
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="tickets", path=bad, mapping="nyc-311")
    message = str(failure.value)
    assert "far.csv, line 6, column 'Created Date'" in message and "outside" in message
    assert not Ticket.objects.exists()
