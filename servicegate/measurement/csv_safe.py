"""CSV cells that spreadsheets cannot run as formulas (CSV injection).

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is read
as a formula by Excel and LibreOffice: ``=HYPERLINK(…)`` in a customer's name would
become a link in the exported file. Such text is prefixed with an apostrophe, which the
spreadsheets show as text; numbers (``-0.5``) stay as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with an apostrophe in front if it is text a spreadsheet would run."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


class SafeWriter:
    """A ``csv.writer`` whose cells go through :func:`safe_cell`."""

    def __init__(self, sink: Any, **kwargs: Any) -> None:
        self.writer = csv.writer(sink, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self.writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
