"""``servicegate sla compute|deadline``: CSV in, CSV out, bad input refused."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from servicegate.cli_commands import sla as cli
from servicegate.engines.calendars import parse_calendar
from servicegate.engines.sla import business_seconds
from servicegate.engines.tests.calendars_fixtures import SERVICE_HOURS_TOML, at


def run(tmp_path: Path, command: str, text: str, *extra: str) -> int:
    (tmp_path / "cal.toml").write_text(SERVICE_HOURS_TOML, encoding="utf-8")
    (tmp_path / "in.csv").write_text(text, encoding="utf-8")
    parser = argparse.ArgumentParser(prog="servicegate")
    cli.register(parser.add_subparsers(required=True))
    argv = [
        "sla",
        command,
        "--calendar",
        str(tmp_path / "cal.toml"),
        "--input",
        str(tmp_path / "in.csv"),
        *extra,
    ]
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_compute_writes_business_seconds(tmp_path: Path) -> None:
    text = (
        "id,start,end,pauses\n"
        "a,2026-03-02T08:00:00,2026-03-02T17:00:00,\n"
        'b,2026-03-02T08:00:00+01:00,2026-03-03T10:00:00Z,"2026-03-02T09:00/2026-03-02T10:30;'
        '2026-03-02T10:00/2026-03-02T11:00"\n'
        "c,2026-03-28 22:00,2026-03-29 12:00:00.5,\n"
    )
    out = tmp_path / "out.csv"
    assert run(tmp_path, "compute", text, "--output", str(out)) == 0
    assert out.read_text().splitlines() == ["id,business_seconds", "a,28800", "b,32400", "c,0"]


def test_compute_writes_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "compute", "id,start,end\nx,2026-03-02T08:00,2026-03-02T09:00\n") == 0
    assert capsys.readouterr().out == "id,business_seconds\nx,3600\n"


def test_deadline_writes_iso_timestamps_in_the_calendar_zone(tmp_path: Path) -> None:
    text = (
        "id,start,target_seconds\n"
        "x,2026-03-02T16:00:00,7200\n"
        "y,2026-03-27T15:00:00Z,3600\n"
        "z,2026-03-29T02:30,0\n"
    )
    out = tmp_path / "out.csv"
    assert run(tmp_path, "deadline", text, "--output", str(out)) == 0
    assert out.read_text().splitlines() == [
        "id,deadline",
        "x,2026-03-03T09:00:00+01:00",
        "y,2026-03-28T10:00:00+01:00",  # Friday 16:00 is after closing
        "z,2026-03-29T03:00:00+02:00",
    ]


@pytest.mark.parametrize(
    ("command", "row", "words"),
    [
        ("compute", "r7,2026-03-02T10:00,2026-03-02T09:00,", "the end lies before the start"),
        (
            "compute",
            "r7,2026-03-02T10:00,2026-02-30T09:00,",
            "the end '2026-02-30T09:00' is not an ISO 8601",
        ),
        (
            "compute",
            "r7,2026-03-02T10:00,2026-03-02T12:00,2026-03-02T09:00/2026-03-02T11:00",
            "outside the row's span",
        ),
        ("compute", "r7,2026-03-02T10:00,2026-03-02T12:00,2026-03-02T11:00", "START/END"),
        (
            "compute",
            "r7,2026-03-02T10:00,2026-03-02T12:00,2026-03-02T11:30/2026-03-02T11:00",
            "ends before it starts",
        ),
        ("deadline", "r7,2026-03-02T10:00,-5,", "not a whole number"),
        (
            "deadline",
            "r7,2026-03-02T10:00,3600,2026-03-02T09:00/2026-03-02T11:00",
            "after the start",
        ),
    ],
)
def test_bad_rows_fail_naming_file_line_id_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, row: str, words: str
) -> None:
    header = "id,start,end,pauses" if command == "compute" else "id,start,target_seconds,pauses"
    good = (
        "ok,2026-03-02T08:00,2026-03-02T09:00,"
        if command == "compute"
        else "ok,2026-03-02T08:00,60,"
    )
    out = tmp_path / "out.csv"
    code = run(
        tmp_path, command, f"{header}\n{good}\n{row}\n", "--output", str(out), "--chunk-size", "1"
    )
    message = capsys.readouterr().err
    assert code == 2
    assert "in.csv, line 3, id 'r7'" in message and words in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cal.toml", "in.csv"]  # nothing written


def test_missing_columns_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "compute", "id,start\nx,2026-03-02T08:00\n") == 2
    assert "lacks the column(s) end" in capsys.readouterr().err


def test_parse_timestamps_fast_and_slow_forms_agree() -> None:
    values = [
        "2026-03-02T08:00:00", "2026-03-02 08:00:00", "2026-03-02T07:00:00Z",
        "2026-03-02T09:30:00+02:30", "2026-03-02T08:00", "2026-03-02T08:00:00.999+01:00",
        "20260302T080000", "2026-03-02T05:00:00-02:00", "nonsense", "2026-02-29T00:00:00",
    ]  # fmt: skip
    seconds, bad = cli.parse_timestamps(values, "Europe/Berlin")
    assert bad.tolist() == [False] * 8 + [True, True]
    assert set(seconds[:8].tolist()) == {at("2026-03-02T08:00")}


def test_format_timestamps_round_trips_over_dst() -> None:
    t = np.array([at("2026-03-29T01:59:59"), at("2026-03-29T03:00"), at("2026-10-25T02:30+01:00")])
    text = cli.format_timestamps(t, "Europe/Berlin")
    assert text == [
        "2026-03-29T01:59:59+01:00",
        "2026-03-29T03:00:00+02:00",
        "2026-10-25T02:30:00+01:00",
    ]
    assert cli.parse_timestamps(text, "UTC")[0].tolist() == t.tolist()


def test_large_files_are_processed_in_chunks(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    starts = rng.integers(at("2026-01-01T00:00"), at("2026-12-01T00:00"), 5000)
    ends = starts + rng.integers(0, 10 * 86_400, 5000)
    text = cli.format_timestamps(starts, "UTC"), cli.format_timestamps(ends, "Asia/Tokyo")
    rows = "".join(f"{i},{a},{b}\n" for i, (a, b) in enumerate(zip(*text, strict=True)))
    out = tmp_path / "out.csv"
    assert (
        run(
            tmp_path,
            "compute",
            "id,start,end\n" + rows,
            "--output",
            str(out),
            "--chunk-size",
            "700",
        )
        == 0
    )
    got = np.loadtxt(out, delimiter=",", skiprows=1, dtype=np.int64)[:, 1]
    want = business_seconds(parse_calendar(SERVICE_HOURS_TOML), starts, ends)
    assert got.tolist() == want.tolist()
