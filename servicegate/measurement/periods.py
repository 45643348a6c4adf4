"""The first day of a reporting period (day, week, month, quarter), in one place.

In SQL (:class:`PeriodStart`, :func:`period_start_sql`) in the database's own date
functions — Django's ``Trunc*`` on SQLite calls back into Python for every row (seconds
on a million clocks), SQLite's ``date()`` works on the stored UTC text — and on epoch
days with numpy (:func:`period_starts`, :func:`period_start` for one date). Weeks start
on Monday; all periods are UTC.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import DateField, Func

from servicegate.measurement.choices import Period
from servicegate.measurement.frames import IntArray

DAY = "day"
_SQLITE_PERIOD = {
    DAY: "substr(%(expressions)s, 1, 10)",
    Period.WEEK: "date(%(expressions)s, '-6 days', 'weekday 1')",
    Period.MONTH: "date(%(expressions)s, 'start of month')",
    Period.QUARTER: (
        "date(%(expressions)s, 'start of month', printf('-%%%%d months',"
        " (CAST(strftime('%%%%m', %(expressions)s) AS INTEGER) - 1) %%%% 3))"
    ),
}
_EPOCH = date(1970, 1, 1)


def _postgresql(period: str, value: str) -> str:
    return f"CAST(date_trunc('{period}', {value}) AS date)"


class PeriodStart(Func):
    """The first day of the reporting period that contains an instant (UTC)."""

    output_field = DateField()

    def __init__(self, expression: Any, period: str, *, of_date: bool = False) -> None:
        super().__init__(expression)
        self.period = Period(period)
        self.of_date = of_date  # the column is a date, not an instant

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template=_SQLITE_PERIOD[self.period])

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        if "template" not in extra:
            value = "%(expressions)s" if self.of_date else "%(expressions)s AT TIME ZONE 'UTC'"
            extra["template"] = _postgresql(str(self.period), value)
        return super().as_sql(compiler, connection, **extra)


def period_start_sql(period: str, column: str = "decided_at") -> str:
    """The first day (UTC) of the ``day``, ``week`` or ``month`` of an instant column, as
    SQL text for a raw query (``%`` doubled for its parameters)."""
    if connection.vendor == "postgresql":
        return _postgresql(period, f"{column} AT TIME ZONE 'UTC'")
    return _SQLITE_PERIOD[period] % {"expressions": column}


def period_starts(day: IntArray, period: str) -> IntArray:
    """The first day of each epoch day's week (Monday), month or quarter, as epoch days."""
    if period == Period.WEEK:
        return day - (day + 3) % 7  # 1 January 1970 was a Thursday
    months = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if period == Period.QUARTER:
        months -= months % 3
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def period_start(day: date, period: str) -> date:
    """First day of the week (Monday), month or quarter containing ``day``."""
    epoch_day = np.array([(day - _EPOCH).days], dtype=np.int64)
    return _EPOCH + timedelta(days=int(period_starts(epoch_day, period)[0]))
