"""Open an input file (plain CSV, or a zip holding one) and stream its rows.

Rows come from the csv module over an :class:`io.TextIOWrapper`, with the physical
line number of each record, so every error can name its line. A decoding error
becomes an :class:`ImportFailure` that names the file and line and suggests
``--encoding``.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from servicegate.importers.errors import ImportFailure

#: ``progress(done_bytes, total_bytes)`` while a file is read.
ByteProgress = Callable[[int, int], None]
PROGRESS_EVERY = 5000


@dataclass
class Source:
    """An opened input: its display name, binary stream, size in bytes and a way to reread it."""

    name: str
    raw: IO[bytes]
    size: int
    reopen: Callable[[], IO[bytes]]


class _Limits(io.RawIOBase):
    """A binary stream that refuses too many bytes, too long lines and too many lines.

    It is checked while the bytes stream by, chunk by chunk: no line is ever held whole
    before it is measured (a 1 GB line without a newline fails after the first MB).
    """

    def __init__(self, name: str, inner: IO[bytes]) -> None:
        super().__init__()
        self.name, self.inner = name, inner
        self.max_bytes = settings.SERVICEGATE_IMPORT_MAX_BYTES
        self.max_line = settings.SERVICEGATE_IMPORT_MAX_LINE_BYTES
        self.max_lines = settings.SERVICEGATE_IMPORT_MAX_ROWS
        # Lines wholly inside one chunk are shorter than a chunk, so only the lines that
        # cross chunk boundaries need measuring.
        self.chunk = max(1, min(256 * 1024, self.max_line))
        self.done = self.lines = self.run = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.inner.close()
        super().close()

    def tell(self) -> int:
        return self.done

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self.inner.read(min(len(buffer), self.chunk))
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ImportFailure(
                _(
                    "%(file)s: the zip archive is damaged or incomplete (%(error)s) after"
                    " %(done)d bytes. Nothing of this file was imported; copy or download"
                    " the archive again."
                )
                % {"file": self.name, "error": exc, "done": self.done}
            ) from None
        size = len(data)
        if not size:
            return 0
        self.done += size
        if self.done > self.max_bytes:
            raise ImportFailure(
                _(
                    "%(file)s: the file holds more than %(limit)d bytes once decompressed"
                    " (SERVICEGATE_IMPORT_MAX_BYTES). Nothing of this file was imported;"
                    " split it into smaller files."
                )
                % {"file": self.name, "limit": self.max_bytes}
            )
        first = data.find(b"\n")
        if first < 0:
            self.run += size
        else:
            self.run += first
        if self.run > self.max_line:
            raise ImportFailure(
                _(
                    "%(file)s, line %(line)d: the line is longer than %(limit)d bytes"
                    " (SERVICEGATE_IMPORT_MAX_LINE_BYTES); this is not an export of"
                    " tickets or events. Nothing of this file was imported."
                )
                % {"file": self.name, "line": self.lines + 1, "limit": self.max_line}
            )
        if first >= 0:
            self.lines += data.count(b"\n")
            self.run = size - data.rfind(b"\n") - 1
            if self.lines > self.max_lines:
                raise ImportFailure(
                    _(
                        "%(file)s: the file has more than %(limit)d lines"
                        " (SERVICEGATE_IMPORT_MAX_ROWS). Nothing of this file was imported;"
                        " split it into smaller files."
                    )
                    % {"file": self.name, "limit": self.max_lines}
                )
        buffer[:size] = data
        return size


def bounded(name: str, raw: IO[bytes]) -> IO[bytes]:
    """``raw`` read through the import limits (see :class:`_Limits`)."""
    return io.BufferedReader(_Limits(name, raw), buffer_size=64 * 1024)


@contextmanager
def open_source(path: Path, *, member: str = "") -> Iterator[Source]:
    """Open ``path``; for a zip, the member named ``member`` or its only CSV file."""
    if not path.exists():
        raise ImportFailure(
            _("%(path)s: the file does not exist; check the path.") % {"path": path}
        )
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            info = _zip_member(path, archive, member)
            name = f"{path.name}:{info.filename}"
            with archive.open(info) as raw:
                yield Source(
                    name,
                    bounded(name, raw),
                    info.file_size,
                    lambda: bounded(name, archive.open(info)),
                )
        return
    with path.open("rb") as raw:
        yield Source(
            path.name,
            bounded(path.name, raw),
            path.stat().st_size,
            lambda: bounded(path.name, path.open("rb")),
        )


def _zip_member(path: Path, archive: zipfile.ZipFile, member: str) -> zipfile.ZipInfo:
    candidates = [
        i
        for i in archive.infolist()
        if not i.is_dir()
        and not i.filename.startswith("__MACOSX/")
        and i.filename.lower().endswith((".csv", ".xes"))
    ]
    if member:
        chosen = [
            i for i in candidates if i.filename == member or i.filename.endswith("/" + member)
        ]
    else:
        chosen = candidates
    if len(chosen) != 1:
        names = ", ".join(i.filename for i in candidates) or _("none")
        raise ImportFailure(
            _(
                "%(file)s: cannot tell which file in the zip to import (CSV/XES files in it:"
                " %(names)s); name it with 'member' in the [file] table of the mapping."
            )
            % {"file": path.name, "names": names}
        )
    return chosen[0]


class CsvInput:
    """The records of a CSV source; ``line_num`` is the physical line of the last one.

    Iterate ``records()`` (a plain csv reader, fast) inside ``with input.guard():`` so
    that decoding and quoting errors become import failures that name file and line.
    """

    def __init__(self, source: Source, *, encoding: str, delimiter: str = ",") -> None:
        self.source = source
        self.encoding = encoding
        csv.field_size_limit(settings.SERVICEGATE_IMPORT_MAX_FIELD_CHARS)
        text = io.TextIOWrapper(source.raw, encoding=encoding, newline="")
        self.reader = csv.reader(text, delimiter=delimiter)

    @property
    def line_num(self) -> int:
        return self.reader.line_num

    def report(self, progress: ByteProgress | None) -> None:
        """Report the bytes read so far to ``progress``."""
        if progress is not None:
            progress(_tell(self.source), self.source.size)

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn decoding and CSV errors raised while reading into ImportFailure."""
        try:
            yield
        except UnicodeDecodeError as exc:
            line = undecodable_line(self.source, self.encoding) or self.line_num + 1
            raise ImportFailure(
                _(
                    "%(file)s, line %(line)d: the file is not valid %(encoding)s (%(reason)s"
                    " at byte %(byte)d). Nothing of this file was imported. Give its encoding"
                    " with --encoding, for example --encoding cp1252 or --encoding latin-1"
                    " (on the import page: the Encoding field)."
                )
                % {
                    "file": self.source.name,
                    "line": line,
                    "encoding": self.encoding,
                    "reason": exc.reason,
                    "byte": exc.start,
                }
            ) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ImportFailure(
                    _(
                        "%(file)s, line %(line)d: a field is longer than %(limit)d characters"
                        " (SERVICEGATE_IMPORT_MAX_FIELD_CHARS). Nothing of this file was"
                        " imported; check the quoting."
                    )
                    % {
                        "file": self.source.name,
                        "line": self.line_num + 1,
                        "limit": settings.SERVICEGATE_IMPORT_MAX_FIELD_CHARS,
                    }
                ) from None
            raise ImportFailure(
                _(
                    "%(file)s, line %(line)d: the CSV is malformed (%(error)s). Nothing of this"
                    " file was imported; check quoting and the delimiter."
                )
                % {"file": self.source.name, "line": self.line_num, "error": exc}
            ) from None


def csv_rows(
    source: Source,
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    progress: ByteProgress | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, row)`` for every record, the header included (line 1)."""
    data = CsvInput(source, encoding=encoding, delimiter=delimiter)
    count = 0
    with data.guard():
        for row in data.reader:
            yield data.reader.line_num, row
            count += 1
            if count % PROGRESS_EVERY == 0:
                data.report(progress)
    if progress is not None:
        progress(source.size, source.size)


def undecodable_line(source: Source, encoding: str) -> int:
    """The number of the first line that does not decode (0 if none is found)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with source.reopen() as raw:
        for number, line in enumerate(raw, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return 0


def _tell(source: Source) -> int:
    try:
        return min(source.raw.tell(), source.size)
    except (OSError, ValueError):
        return 0


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting still frees memory).

    A large import allocates millions of rows and events that all stay alive, so the
    collector would traverse them again and again for nothing (a fifth of an import's
    time); imports create no reference cycles worth collecting in between.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
