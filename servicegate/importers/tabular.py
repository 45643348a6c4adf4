"""Rows of a mapped file (CSV or XES) as ``(line, values)`` with the mapped columns' indexes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from django.utils.translation import gettext as _

from servicegate.importers.errors import ImportFailure, RowError, closest, listed
from servicegate.importers.mapping import Mapping
from servicegate.importers.reading import ByteProgress, Source, csv_rows
from servicegate.importers.staging import Rejected, Staging

XES_CASE_COLUMN = "case:concept:name"


def mapped_rows(
    source: Source, mapping: Mapping, *, encoding: str, progress: ByteProgress | None
) -> tuple[list[str], dict[str, int], Iterator[tuple[int, list[str]]]]:
    """The header, the index of every mapped key, and the data rows."""
    if source.name.lower().endswith(".xes"):
        header = sorted(set(mapping.columns.values()))
        rows = xes_rows(source, header)
    else:
        rows = csv_rows(source, encoding=encoding, delimiter=mapping.delimiter, progress=progress)
        header = next(rows, (1, []))[1]
    positions = {name: i for i, name in enumerate(header)}
    indexes: dict[str, int] = {}
    for key, column in mapping.columns.items():
        if column not in positions:
            raise ImportFailure(
                _(
                    "%(file)s, line 1: the mapping %(mapping)s names the column %(column)r"
                    " (columns.%(key)s), but the file has no such column.%(hint)s Correct the"
                    " mapping; the file's columns are: %(columns)s."
                )
                % {
                    "file": source.name,
                    "mapping": mapping.path.name,
                    "column": column,
                    "key": key,
                    "hint": closest(column, header[:10_000]),
                    "columns": listed(header),
                }
            )
        indexes[key] = positions[column]
    return header, indexes, rows


Pending = list[tuple[int, list[str], str]]  # (line, row, source status) of unmapped rows


def reject_unmapped(staging: Staging, mapping: Mapping, column: str, pending: Pending) -> None:
    """Reject the rows whose status the mapping does not know; each error lists every
    unmapped status of the file (read to the end first), so one run names them all."""
    if not pending:
        return
    values = listed(sorted({repr(raw) for _line, _row, raw in pending}))
    for line, row, raw in pending:
        error = RowError(
            staging.file,
            line,
            column,
            _(
                "the status %(value)r is not in the mapping (unmapped in this file: %(values)s);"
                " add them to [statuses.map] in %(mapping)s, or name a [statuses] default"
            )
            % {"value": raw, "values": values, "mapping": mapping.path.name},
        )
        staging.errors.append(error)
        staging.rejected.append(Rejected(error, row))
    staging.errors.sort(key=lambda e: e.line)
    staging.rejected.sort(key=lambda r: r.error.line)


def xes_rows(source: Source, header: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Events of an XES log as rows over ``header``; the "line" is the event's number.

    Trace attributes are available as ``case:<key>`` (the case id as
    ``case:concept:name``), event attributes under their own key.
    """
    number = 1
    trace: dict[str, str] = {}
    in_trace = in_event = False
    try:
        for action, element in ET.iterparse(source.raw, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "trace":
                in_trace = action == "start"
                trace = {} if in_trace else trace
                if not in_trace:
                    element.clear()
            elif tag == "event":
                in_event = action == "start"
                if not in_event:
                    number += 1
                    values = {**trace, **_attributes(element)}
                    yield number, [values.get(c, "") for c in header]
                    element.clear()
            elif action == "end" and in_trace and not in_event:
                key = element.get("key")
                if key is not None:
                    trace[f"case:{key}"] = element.get("value", "")
    except ET.ParseError as exc:
        raise ImportFailure(
            _("%(file)s: not a valid XES file (%(error)s).") % {"file": source.name, "error": exc}
        ) from None


def _attributes(event: ET.Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in event:
        key = child.get("key")
        if key is not None:
            values[key] = child.get("value", "")
    return values
