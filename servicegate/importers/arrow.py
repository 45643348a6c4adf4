"""Column-wise reading of large, regular CSV files with Apache Arrow.

The csv module hands out one Python list per row; Arrow's CSV reader parses blocks
of the file on both cores into columns, and dictionary-encodes each column (its
distinct values once, plus an integer code per row). Importers check and convert the
distinct values only and expand the codes with numpy, so a file of a few hundred
thousand rows is read in a fraction of the time.

This is a fast path, not a second parser with its own error messages: whatever Arrow
refuses (a row with too few or too many fields, a quoted line break, bytes that are
not UTF-8) makes :func:`read_columns` return None, and the importer reads the file
again row by row with the csv module, which names the line and column of the problem.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from hashlib import blake2b

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from servicegate.importers.reading import ByteProgress, Source
from servicegate.importers.staging import DIGEST_BYTES

#: Bytes parsed per block; a block ends at a line break.
BLOCK = 16 << 20
UTF8 = frozenset({"utf-8", "utf-8-sig"})


@dataclass
class Column:
    """One dictionary-encoded column: its distinct values and a code per row."""

    values: list[str]
    codes: np.ndarray  # int32/int64 positions into ``values``, one per row

    def expand(self, order: np.ndarray | None = None) -> list[str]:
        """The column's value of every row (in ``order``, if given), as Python strings."""
        codes = self.codes if order is None else self.codes[order]
        return list(map(self.values.__getitem__, codes.tolist()))


def header_line(source: Source, encoding: str) -> list[str] | None:
    """The header of a plain UTF-8 file, read from ``source`` (None: read it otherwise)."""
    if codecs.lookup(encoding).name not in UTF8:
        return None
    try:
        line = source.raw.readline().decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        return None
    if '"' in line or "\r" in line:
        return None
    return line.split(",")


@dataclass
class Columns:
    """What :func:`read_columns` read: the columns of the distinct lines."""

    columns: dict[str, Column]
    #: The distinct lines (rows), each one's position among all rows of the file (from 0)
    #: and how many lines repeated an earlier line byte for byte (left out).
    rows: int
    positions: np.ndarray
    duplicates: int


def read_columns(
    source: Source,
    header: Sequence[str],
    columns: Sequence[str],
    *,
    progress: ByteProgress | None = None,
) -> Columns | None:
    """``columns`` of the rest of ``source`` (after its header), without repeated lines.

    A line identical to an earlier one is left out while the blocks are read: only a
    16-byte digest of each distinct line is kept, so a file of millions of identical
    lines holds one row. None if Arrow cannot read the file as regular CSV (see the
    module documentation).
    """
    read_options = pcsv.ReadOptions(column_names=list(header), use_threads=True)
    parse_options = pcsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False)
    convert_options = pcsv.ConvertOptions(
        include_columns=list(columns),
        column_types=dict.fromkeys(columns, pa.string()),
        strings_can_be_null=False,
    )
    tables: list[pa.Table] = []
    positions: list[np.ndarray] = []
    seen: set[bytes] = set()
    rest = b""
    done = lines = 0
    while True:
        block = source.raw.read(BLOCK)
        done += len(block)
        data = rest + block
        if block:
            cut = data.rfind(b"\n") + 1
            data, rest = data[:cut], data[cut:]
        if data:
            try:
                table = pcsv.read_csv(
                    pa.py_buffer(data),
                    read_options=read_options,
                    parse_options=parse_options,
                    convert_options=convert_options,
                )
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return None
            fresh = _fresh_lines(data, seen)
            if len(fresh) != table.num_rows:
                return None  # not one row per line: let the row reader say why
            kept = np.flatnonzero(fresh)
            tables.append(table if len(kept) == len(fresh) else table.take(pa.array(kept)))
            positions.append(kept + lines)
            lines += len(fresh)
        if progress is not None:
            progress(min(done, source.size), source.size)
        if not block:
            break
    rows = sum(t.num_rows for t in tables)
    if not rows:
        return Columns({}, 0, np.zeros(0, dtype=np.int64), lines)
    table = pa.concat_tables(tables)
    encoded: dict[str, Column] = {}
    for name in columns:
        array = pc.dictionary_encode(table[name]).combine_chunks()
        encoded[name] = Column(array.dictionary.to_pylist(), array.indices.to_numpy())
    return Columns(encoded, rows, np.concatenate(positions), lines - rows)


_digest = partial(blake2b, digest_size=DIGEST_BYTES)


def _fresh_lines(data: bytes, seen: set[bytes]) -> np.ndarray:
    """For each line of ``data``, whether no earlier line was byte for byte the same
    (the lines seen are remembered in ``seen`` as digests)."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    fresh = np.ones(len(lines), dtype=bool)
    for index, digest in enumerate(h.digest() for h in map(_digest, lines)):
        if digest in seen:
            fresh[index] = False
        else:
            seen.add(digest)
    return fresh
