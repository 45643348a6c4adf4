"""``servicegate sla``: business time for CSV files, streamed in chunks.

``sla compute``  — IN: id,start,end[,pauses] → OUT: id,business_seconds
``sla deadline`` — IN: id,start,target_seconds[,pauses] → OUT: id,deadline

Timestamps are ISO 8601; without an offset they are local time of the calendar's zone.
``pauses`` holds ``START/END`` pairs separated by ``;``. The common fixed-width forms
(``YYYY-MM-DDTHH:MM:SS`` with nothing, ``Z`` or ``±HH:MM`` after it) are parsed by Apache
Arrow's ISO 8601 cast; other forms fall back to ``datetime.fromisoformat`` per value.

A bad row stops the run (exit code 2) with a message naming file, line, id and reason;
the output file is written atomically, so nothing is written on failure. Never imports
Django.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import IO, Any, TextIO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from servicegate.engines import sla
from servicegate.engines.calendars import Calendar, CalendarError, epoch_to_local, load_calendar
from servicegate.engines.calendars import local_to_epoch as wall_to_epoch

__all__ = ["InputError", "format_timestamps", "parse_timestamps", "register"]

IntArray = npt.NDArray[np.int64]
DAY = 86_400
DEFAULT_CHUNK = 200_000
_EPOCH_NAIVE = datetime(1970, 1, 1)


class InputError(Exception):
    """A bad input row; the message is shown to the user as is."""


# ------------------------------------------------------------------------ timestamps


# The fixed-width forms Arrow's ISO 8601 cast reads (it refuses impossible dates and times).
_NAIVE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}$"
_ZONED = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-]([01][0-9]|2[0-3]):[0-9]{2})$"
)
_FORMS = ((_ZONED, pa.timestamp("s", tz="UTC"), False), (_NAIVE, pa.timestamp("s"), True))


def _fast_parse(
    values: Sequence[str],
) -> tuple[IntArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """``(seconds, ok, naive)`` for the fixed-width forms; seconds are UTC, or wall if naive.

    Usually a chunk has one form throughout: the form of its first value is cast whole.
    Otherwise the values of each form are cast by Arrow in one call; a form with a value
    Arrow refuses (31 February) and values of other shapes are left to the slow path
    (``ok`` False).
    """
    n = len(values)
    texts = pa.array(values, type=pa.string())
    for pattern, arrow_type, is_naive in _FORMS if n else ():
        if re.match(pattern, values[0]):
            try:
                whole = pc.cast(texts, arrow_type).cast(pa.int64())
            except pa.ArrowInvalid:
                break
            seconds = whole.to_numpy(zero_copy_only=False).copy()
            return seconds, np.ones(n, dtype=bool), np.full(n, is_naive)
    seconds = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    naive = np.zeros(n, dtype=bool)
    for pattern, arrow_type, is_naive in _FORMS:
        match = pc.match_substring_regex(texts, pattern)
        whole = pc.all(match).as_py()
        rows = np.arange(n) if whole else np.flatnonzero(match.to_numpy(zero_copy_only=False))
        if not rows.size:
            continue
        try:
            parsed = pc.cast(texts if whole else texts.take(rows), arrow_type)
        except pa.ArrowInvalid:
            continue
        seconds[rows] = parsed.cast(pa.int64()).to_numpy(zero_copy_only=False)
        ok[rows] = True
        naive[rows] = is_naive
        if whole:
            break
    return seconds, ok, naive


def _slow_parse(value: str) -> tuple[int, bool] | None:
    """``(seconds, naive)`` via ``datetime.fromisoformat`` (floored to whole seconds)."""
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if dt.tzinfo is None or dt.utcoffset() is None:
        return (dt - _EPOCH_NAIVE) // timedelta(seconds=1), True
    return (dt.replace(tzinfo=None) - _EPOCH_NAIVE - dt.utcoffset()) // timedelta(seconds=1), False  # type: ignore[operator]


def parse_timestamps(
    values: Sequence[str], timezone: str
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """UTC epoch seconds for ISO 8601 strings and a mask of the unparsable ones.

    Values without an offset are wall time in ``timezone`` (ambiguous → first occurrence,
    nonexistent → the transition instant, as for calendars).
    """
    seconds, ok, naive = _fast_parse(values)
    for i in np.flatnonzero(~ok).tolist():
        parsed = _slow_parse(values[i])
        if parsed is not None:
            seconds[i], naive[i], ok[i] = parsed[0], parsed[1], True
    if naive.any():
        seconds[naive] = wall_to_epoch(timezone, seconds[naive])
    return seconds, ~ok


def format_timestamps(epochs: IntArray, timezone: str) -> list[str]:
    """ISO 8601 with offset in ``timezone``, e.g. ``2026-03-30T09:00:00+02:00``."""
    walls, offsets = epoch_to_local(timezone, epochs)
    wall_text = np.datetime_as_string(walls.astype("datetime64[s]"), unit="s")
    distinct, inverse = np.unique(offsets, return_inverse=True)
    suffixes = np.array([_offset_text(int(o)) for o in distinct])
    return np.strings.add(wall_text, suffixes[inverse]).tolist()  # type: ignore[no-any-return]


def _offset_text(offset: int) -> str:
    sign = "-" if offset < 0 else "+"
    hours, rest = divmod(abs(offset), 3600)
    text = f"{sign}{hours:02d}:{rest // 60:02d}"
    return text + (f":{rest % 60:02d}" if rest % 60 else "")


# ----------------------------------------------------------------------------- input


@dataclass(frozen=True)
class Chunk:
    """A block of input rows: column texts and the file line of each row."""

    first_line: int
    columns: dict[str, list[str]]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def line(self, i: int) -> int:
        return self.first_line + i


def _fail(path: Path, chunk: Chunk, i: int, reason: str) -> InputError:
    row_id = chunk.columns["id"][i]
    return InputError(f"{path}, line {chunk.line(i)}, id {row_id!r}: {reason}")


def _read_chunks(
    path: Path, stream: Iterable[str], required: Sequence[str], optional: Sequence[str], size: int
) -> Iterator[Chunk]:
    """Rows in blocks of ``size``; a record is assumed to occupy one line."""
    reader = csv.reader(stream)
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"{path}, line 1: the header lacks the column(s) {', '.join(missing)}; "
            f"the input needs the columns {','.join(required)} (optional: {','.join(optional)})."
        )
    index = {c: header.index(c) for c in [*required, *optional] if c in header}
    width = len(header)
    line = 2
    while rows := list(islice(reader, size)):
        if set(map(len, rows)) != {width}:
            i = next(i for i, r in enumerate(rows) if len(r) != width)
            raise InputError(
                f"{path}, line {line + i}: expected {width} fields, found {len(rows[i])}; "
                "check the commas and quoting of that row."
            )
        by_position = list(zip(*rows, strict=True))
        yield Chunk(line, {c: list(by_position[j]) for c, j in index.items()})
        line += len(rows)


def _timestamps(path: Path, chunk: Chunk, column: str, timezone: str) -> IntArray:
    values = chunk.columns[column]
    seconds, bad = parse_timestamps(values, timezone)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise _fail(
            path,
            chunk,
            i,
            f"the {column} {values[i]!r} is not an ISO 8601 timestamp; "
            "write e.g. 2026-03-02T08:30:00+01:00.",
        )
    return seconds


@dataclass(frozen=True)
class PauseList:
    """Pauses of a chunk as flat arrays (row index per pause)."""

    rows: IntArray
    starts: IntArray
    ends: IntArray

    def kwargs(self) -> dict[str, Any]:
        if self.rows.size == 0:
            return {}
        return {"pause_starts": self.starts, "pause_ends": self.ends, "pause_rows": self.rows}


def _pauses(path: Path, chunk: Chunk, timezone: str) -> PauseList:
    """Parse the ``pauses`` column: ``START/END`` pairs separated by ``;``."""
    empty = np.zeros(0, dtype=np.int64)
    cells = chunk.columns.get("pauses")
    if cells is None:
        return PauseList(empty, empty, empty)
    rows: list[int] = []
    texts: list[str] = []
    for i, cell in enumerate(cells):
        if not cell.strip():
            continue
        for pair in cell.split(";"):
            parts = pair.split("/")
            if len(parts) != 2:
                raise _fail(
                    path,
                    chunk,
                    i,
                    f"the pause {pair!r} is not of the form START/END; "
                    "separate start and end by '/' and pauses by ';'.",
                )
            rows.append(i)
            texts.extend(parts)
    if not rows:
        return PauseList(empty, empty, empty)
    seconds, bad = parse_timestamps(texts, timezone)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise _fail(
            path,
            chunk,
            rows[k // 2],
            f"the pause time {texts[k]!r} is not an ISO 8601 timestamp; "
            "write e.g. 2026-03-02T08:30:00+01:00.",
        )
    row_arr = np.array(rows, dtype=np.int64)
    starts, ends = seconds[0::2], seconds[1::2]
    reversed_ = np.flatnonzero(ends < starts)
    if reversed_.size:
        raise _fail(
            path,
            chunk,
            rows[int(reversed_[0])],
            "a pause ends before it starts; swap its start and end.",
        )
    return PauseList(row_arr, starts, ends)


def _check_inside(
    path: Path, chunk: Chunk, p: PauseList, lo: IntArray, hi: IntArray | None
) -> None:
    outside = (
        (p.starts < lo[p.rows]) if hi is None else (p.starts < lo[p.rows]) | (p.ends > hi[p.rows])
    )
    if outside.any():
        k = int(np.flatnonzero(outside)[0])
        span = "after the start" if hi is None else "between start and end"
        raise _fail(
            path,
            chunk,
            int(p.rows[k]),
            f"a pause lies outside the row's span; every pause must lie {span}.",
        )


def _targets(path: Path, chunk: Chunk) -> IntArray:
    values = chunk.columns["target_seconds"]
    try:
        targets = np.array(values, dtype=np.int64)
    except (ValueError, OverflowError):
        targets = np.array([_int_or(v, -1) for v in values], dtype=np.int64)
    bad = np.flatnonzero(targets < 0)
    if bad.size:
        i = int(bad[0])
        raise _fail(
            path,
            chunk,
            i,
            f"target_seconds {values[i]!r} is not a whole number of seconds ≥ 0; "
            "write e.g. 14400 for 4 hours.",
        )
    return targets


def _int_or(text: str, default: int) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return default


# -------------------------------------------------------------------------- commands


def compute_chunk(path: Path, chunk: Chunk, cal: Calendar) -> list[str]:
    """Business seconds per row of ``chunk`` as text."""
    starts = _timestamps(path, chunk, "start", cal.timezone)
    ends = _timestamps(path, chunk, "end", cal.timezone)
    backwards = np.flatnonzero(ends < starts)
    if backwards.size:
        raise _fail(
            path,
            chunk,
            int(backwards[0]),
            "the end lies before the start; swap them or fix the row.",
        )
    pauses = _pauses(path, chunk, cal.timezone)
    _check_inside(path, chunk, pauses, starts, ends)
    return sla.business_seconds(cal, starts, ends, **pauses.kwargs()).astype(str).tolist()  # type: ignore[no-any-return]


def deadline_chunk(path: Path, chunk: Chunk, cal: Calendar) -> list[str]:
    """Deadline per row of ``chunk`` as ISO 8601 text in the calendar's zone."""
    starts = _timestamps(path, chunk, "start", cal.timezone)
    targets = _targets(path, chunk)
    pauses = _pauses(path, chunk, cal.timezone)
    _check_inside(path, chunk, pauses, starts, None)
    return format_timestamps(sla.deadlines(cal, starts, targets, **pauses.kwargs()), cal.timezone)


@dataclass(frozen=True)
class Command:
    required: tuple[str, ...]
    output_column: str
    run_chunk: Callable[[Path, Chunk, Calendar], list[str]]


COMMANDS = {
    "compute": Command(("id", "start", "end"), "business_seconds", compute_chunk),
    "deadline": Command(("id", "start", "target_seconds"), "deadline", deadline_chunk),
}


@contextmanager
def _atomic_output(output: Path | None) -> Iterator[TextIO]:
    """A text sink that reaches its target only if the block succeeds.

    A file is written to a temporary file in the same directory and renamed over the
    target (``os.replace``); stdout receives the buffered text at the end.
    """
    if output is None:
        with tempfile.SpooledTemporaryFile(max_size=64 << 20, mode="w+", newline="") as buffer:
            yield buffer  # type: ignore[misc]
            buffer.seek(0)
            sys.stdout.writelines(iter(lambda: buffer.read(1 << 20), ""))
            sys.stdout.flush()
        return
    fd, tmp = tempfile.mkstemp(dir=output.parent or ".", prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            yield handle
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _counted_lines(handle: IO[str], advance: Callable[[int], None]) -> Iterator[str]:
    for line in handle:
        advance(len(line))
        yield line


@contextmanager
def _progress(path: Path, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr (terminal only); yields an ``advance(n_chars)``."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

    columns = (BarColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(path.name, total=path.stat().st_size)
        yield lambda n: bar.advance(task, n)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading a chunk creates millions of small
    objects and no cycles, and collections triggered by them cost more than the parsing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(
    command: str,
    calendar: Path,
    input_path: Path,
    output: Path | None,
    chunk_size: int,
    progress: bool | None = None,
) -> int:
    """Run one subcommand; returns the exit code (0 ok, 2 bad input)."""
    spec = COMMANDS[command]
    try:
        cal = load_calendar(calendar)
        show = sys.stderr.isatty() if progress is None else progress
        with (
            _gc_paused(),
            open(input_path, encoding="utf-8-sig", newline="") as handle,
            _progress(input_path, show) as advance,
            _atomic_output(output) as sink,
        ):
            lines = handle if advance is None else _counted_lines(handle, advance)
            writer = csv.writer(sink, lineterminator="\n")
            writer.writerow(["id", spec.output_column])
            chunks = _read_chunks(input_path, lines, spec.required, ("pauses",), chunk_size)
            for chunk in chunks:
                writer.writerows(
                    zip(chunk.columns["id"], spec.run_chunk(input_path, chunk, cal), strict=True)
                )
    except (InputError, CalendarError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"error: {exc.filename or input_path}: {exc.strerror}. Check the path.", file=sys.stderr
        )
        return 2
    return 0


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    def handle(args: argparse.Namespace) -> int:
        return run(command, args.calendar, args.input, args.output, args.chunk_size)

    return handle


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sla compute`` and ``sla deadline`` to the ``servicegate`` command line."""
    parser = subparsers.add_parser("sla", help="business time and deadlines for CSV files")
    commands = parser.add_subparsers(dest="sla_command", required=True, metavar="COMMAND")
    helps = {
        "compute": "business seconds per row (IN: id,start,end[,pauses])",
        "deadline": "deadline per row (IN: id,start,target_seconds[,pauses])",
    }
    for name, text in helps.items():
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--calendar", type=Path, required=True, help="calendar TOML file")
        sub.add_argument("--input", type=Path, required=True, help="input CSV file")
        sub.add_argument("--output", type=Path, help="output CSV file (default: stdout)")
        sub.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK, help=argparse.SUPPRESS)
        sub.set_defaults(func=_handler(name))
    # `sla discover` needs the database: servicegate.cli routes it to the Django command
    # `sla_discover` before this parser runs; it is listed here for `sla --help`.
    text = "find the clock rules and targets that explain imported SLA outcomes (database)"
    commands.add_parser("discover", help=text, description=text, add_help=False)
