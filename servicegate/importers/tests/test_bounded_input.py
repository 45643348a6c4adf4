"""Hostile files are refused while they stream: size, line, field and row limits."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import override_settings

from servicegate.importers.errors import ImportFailure, closest
from servicegate.operations.models import Ticket
from servicegate.operations.services import tickets_import

pytestmark = pytest.mark.django_db

HEADER = b"number,incident_state,sys_updated_at,opened_at\n"


def _zip(path: Path, member: str, chunks: int, chunk: bytes, head: bytes = HEADER) -> Path:
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w") as out,
    ):
        out.write(head)
        for _ in range(chunks):
            out.write(chunk)
    return path


def test_a_line_without_newline_fails_early_with_little_memory(tmp_path: Path) -> None:
    # 256 MB of "A" without a newline, deflated to a few hundred kilobytes.
    path = _zip(tmp_path / "bomb.zip", "log.csv", 256, b"A" * (1 << 20))
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ImportFailure) as failure:
            tickets_import(format="servicenow", path=path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(failure.value)
    assert message.startswith("bomb.zip:log.csv, line 2: the line is longer than 1048576 bytes")
    assert peak < 64 << 20 and time.monotonic() - started < 30
    assert not Ticket.objects.exists()


def test_a_long_header_gets_no_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"x" * 500_000 + b"\n1\n")
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="servicenow", path=path)
    assert "Did you mean" not in str(failure.value)
    assert closest("x" * 65, ["xx"]) == "" and "Did you mean" in closest("numbr", ["number"])


def test_decompressed_size_is_bounded(tmp_path: Path) -> None:
    path = _zip(tmp_path / "big.zip", "log.csv", 100, b"INC1,New,1/1/2016 10:00,1/1/2016 10:00\n")
    with (
        override_settings(SERVICEGATE_IMPORT_MAX_BYTES=1000),
        pytest.raises(ImportFailure) as failure,
    ):
        tickets_import(format="servicenow", path=path)
    assert "more than 1000 bytes once decompressed" in str(failure.value)


def test_total_lines_are_bounded(tmp_path: Path) -> None:
    path = _zip(tmp_path / "rows.zip", "log.csv", 50, b"INC1,New,1/1/2016 10:00,1/1/2016 10:00\n")
    with (
        override_settings(SERVICEGATE_IMPORT_MAX_ROWS=20),
        pytest.raises(ImportFailure) as failure,
    ):
        tickets_import(format="servicenow", path=path)
    assert "more than 20 lines (SERVICEGATE_IMPORT_MAX_ROWS)" in str(failure.value)


def test_field_size_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "field.csv"
    path.write_bytes(HEADER + b'INC1,"' + b"a\n" * 200 + b'",1/1/2016 10:00,1/1/2016 10:00\n')
    with (
        override_settings(SERVICEGATE_IMPORT_MAX_FIELD_CHARS=100),
        pytest.raises(ImportFailure) as failure,
    ):
        tickets_import(format="servicenow", path=path)
    assert "field.csv, line 53: a field is longer than 100 characters" in str(failure.value)


@pytest.mark.realdata
@pytest.mark.parametrize("quoted", [False, True], ids=["columns", "rows"])
def test_rows_per_ticket_are_bounded(
    uci_rows: Callable[[int], list[list[str]]], tmp_path: Path, quoted: bool
) -> None:
    """Many rows of one ticket are refused (identical ones count once: they add nothing)."""
    header, row = uci_rows(1)
    path = tmp_path / "same.csv"
    count = header.index("sys_mod_count")
    with path.open("w", encoding="utf-8") as out:
        # A quoted header sends the file to the row reader.
        out.write(",".join(f'"{h}"' if quoted else h for h in header) + "\n")
        for number in range(60):
            row[count] = str(number)  # a column the import does not read
            out.write((",".join(row) + "\n") * 2)
    with (
        override_settings(SERVICEGATE_IMPORT_MAX_ROWS_PER_TICKET=50),
        pytest.raises(ImportFailure) as failure,
    ):
        tickets_import(format="servicenow", path=path)
    assert f"same.csv: the ticket {row[0]!r} has 60 rows, more than 50" in str(failure.value)
    assert not Ticket.objects.exists()


def test_a_truncated_zip_is_named_as_such(tmp_path: Path) -> None:
    row = b"INC1,New,1/1/2016 10:00,1/1/2016 10:00\n"
    whole = _zip(tmp_path / "whole.zip", "log.csv", 20_000, row)
    data = whole.read_bytes()
    cut = tmp_path / "cut.zip"
    # keep the central directory, damage the compressed data in the middle
    middle = len(data) // 2
    cut.write_bytes(data[:middle] + bytes(64) + data[middle + 64 :])
    with pytest.raises(ImportFailure) as failure:
        tickets_import(format="servicenow", path=cut)
    message = str(failure.value)
    assert "the zip archive is damaged or incomplete" in message
    assert "encoding" not in message
