"""Slices of the real logs written to temporary files, for the importer tests."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

UCI = "uci-498-incident-event-log/incident_event_log.zip"
VOLVO = "bpi2013-volvo-it/IBM-VolvoIT-Challenge.zip"
HELPDESK = "helpdesk-4tu-polato2017/helpdesk.csv"
NYC = "nyc-311-samples/mzuber88_311_Service_Requests_first1000.csv"


def read_rows(path: Path, member: str = "", limit: int = 0) -> list[list[str]]:
    """The header and the first ``limit`` data rows of a CSV (or a CSV inside a zip)."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            name = member or next(n for n in archive.namelist() if n.endswith(".csv"))
            with archive.open(name) as raw:
                return _take(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""), limit)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return _take(handle, limit)


def _take(handle: io.TextIOBase, limit: int) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in csv.reader(handle):
        rows.append(row)
        if limit and len(rows) > limit:
            break
    return rows


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def uci_rows(shared_data: Path) -> Callable[[int], list[list[str]]]:
    """``uci_rows(n)``: the header and first n rows of the UCI ServiceNow log."""
    return lambda n: read_rows(shared_data / UCI, limit=n)


@pytest.fixture
def uci_slice(uci_rows: Callable[[int], list[list[str]]], tmp_path: Path) -> Path:
    """The first 2,000 rows of the UCI ServiceNow log as a CSV file."""
    return write_csv(tmp_path / "incidents.csv", uci_rows(2000))
