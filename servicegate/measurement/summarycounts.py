"""What decided clocks count in the two attainment summaries, per summary key.

``ClockSummary`` counts per promise, day, priority, channel and cause; ``ClockGroupSummary``
per promise, week or month, customer and team. A write of clocks changes both by what
the new clocks count less what the deleted ones counted (:class:`SummaryChange`),
grouped by numpy for the new ones (``clockrows.ClockRows.summary_counts``) and by one
grouped query for stored ones (:func:`stored_counts`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection

from servicegate.measurement.choices import Period
from servicegate.measurement.frames import IntArray, id_rows
from servicegate.measurement.models import Clock
from servicegate.measurement.periods import period_start_sql, period_starts

KEY_BATCH = 1_000_000  # clocks picked by one statement (SQLite: one JSON text)


SummaryKey = tuple[int, str, str, str, str]  # promise, day, priority, channel, cause
GroupKey = tuple[int, str, str, int | None, str]  # promise, period, start, customer, team


def _one_key(*columns: IntArray) -> Any:
    """One sortable key per row of these non-negative-offset integer columns: a single
    integer when their ranges fit 62 bits (sorting one column is far quicker), else the
    rows as records."""
    lows = [int(c.min()) for c in columns]
    spans = [int(c.max()) - low + 1 for c, low in zip(columns, lows, strict=True)]
    if np.prod([float(s) for s in spans]) < 2.0**62:
        key = np.zeros(columns[0].size, dtype=np.int64)
        for column, low, span in zip(columns, lows, spans, strict=True):
            key = key * span + (column - low)
        return key
    return np.rec.fromarrays(columns)


def grouped(breached: IntArray, *columns: IntArray) -> tuple[IntArray, list[int], list[int]]:
    """Rows grouped by their values in ``columns``: each group's first row, its count
    and its count of rows not breached."""
    _, first, inverse = np.unique(_one_key(*columns), return_index=True, return_inverse=True)
    n = np.bincount(inverse.ravel())
    met = np.bincount(inverse.ravel(), weights=breached != 1).astype(np.int64)
    return first, n.tolist(), met.tolist()


@dataclass
class SummaryChange:
    """What a write of clocks (``clockrows.replace_changed``) did, and so to the summaries.

    ``rows`` inserted; ``n`` and ``met`` the change of the per-day summary's counts per
    key, ``groups`` and ``groups_met`` those of the customer/team summary (what the new
    clocks count less what the deleted ones counted).
    """

    rows: int = 0
    n: Counter[SummaryKey] = field(default_factory=Counter)
    met: Counter[SummaryKey] = field(default_factory=Counter)
    groups: Counter[GroupKey] = field(default_factory=Counter)
    groups_met: Counter[GroupKey] = field(default_factory=Counter)


def keyed_conditions(keys: IntArray, width: int) -> Iterator[tuple[str, list[Any]]]:
    """WHERE conditions (with their parameters) that pick the clocks of these keys, a
    batch each.

    SQLite finds each through the (ticket, promise) index from one JSON parameter,
    PostgreSQL from one text; other databases get one condition per clock.
    """
    fast = connection.vendor in ("sqlite", "postgresql")
    batch = KEY_BATCH if fast else 500
    for lo in range(0, keys.size, batch):
        part = keys[lo : lo + batch]
        if fast:
            rows, param = id_rows(part)
            pairs = f"SELECT k / {width}, k %% {width} FROM {rows}"
            yield f"(ticket_id, promise_id) IN ({pairs})", [param]
            continue
        tickets, promises = np.divmod(part, width)
        one = "(ticket_id = %s AND promise_id = %s)"
        flat = np.column_stack([tickets, promises]).ravel().tolist()
        yield "(" + " OR ".join([one] * part.size) + ")", flat


def stored_counts(
    keys: IntArray, width: int, out: SummaryChange | None = None, sign: int = 1
) -> SummaryChange:
    """What the summaries count of the stored clocks with these keys (one grouped query
    per batch: a row per day and combination of labels, none per clock), times ``sign``
    and added to ``out``, if given."""
    out = out if out is not None else SummaryChange()
    day = period_start_sql("day")
    table = connection.ops.quote_name(Clock._meta.db_table)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for where, params in keyed_conditions(keys, width):
            cursor.execute(
                f"SELECT promise_id, {day}, priority, channel, cause, customer_id, team, "
                f"COUNT(*), SUM(CASE WHEN breached THEN 0 ELSE 1 END) FROM {table} "
                f"WHERE decided_at IS NOT NULL AND {where} "
                "GROUP BY promise_id, 2, priority, channel, cause, customer_id, team",
                params,
            )
            rows += cursor.fetchall()
    if not rows:
        return out
    days = np.array([str(r[1])[:10] for r in rows], dtype="datetime64[D]").astype(np.int64)
    weeks = np.datetime_as_string(period_starts(days, Period.WEEK).astype("datetime64[D]")).tolist()
    months = np.datetime_as_string(
        period_starts(days, Period.MONTH).astype("datetime64[D]")
    ).tolist()
    for i, (promise, decided, priority, channel, cause, customer, team, n, met) in enumerate(rows):
        key = (promise, str(decided)[:10], priority, channel, cause)
        out.n[key] += sign * n
        out.met[key] += sign * met
        for period, start in (("week", weeks[i]), ("month", months[i])):
            group = (promise, period, start, customer, team)
            out.groups[group] += sign * n
            out.groups_met[group] += sign * met
    return out
