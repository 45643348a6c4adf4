"""Agreement with the ``businesstimedelta`` package on cases within its scope.

Its scope: one working interval per weekday (plus a lunch break), a list of whole-day
holidays, a pytz zone; no overnight intervals; targets > 0 (it moves a zero target to the
next opening). Skipped when the package is missing.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from servicegate.engines import sla
from servicegate.engines.calendars import calendar_from_dict
from servicegate.engines.tests.calendars_fixtures import at

btd = pytest.importorskip("businesstimedelta")
pytz = pytest.importorskip("pytz")

HOLIDAYS = ["2026-04-03", "2026-04-06", "2026-05-01", "2026-12-25"]


def _rules() -> object:
    tz = pytz.timezone("Europe/Berlin")
    work = btd.WorkDayRule(
        start_time=dt.time(8), end_time=dt.time(17), working_days=[0, 1, 2, 3, 4], tz=tz
    )
    lunch = btd.LunchTimeRule(
        start_time=dt.time(12), end_time=dt.time(13), working_days=[0, 1, 2, 3, 4], tz=tz
    )
    days = btd.HolidayRule([dt.date.fromisoformat(d) for d in HOLIDAYS], tz=tz)
    return btd.Rules([work, lunch, days])


CALENDAR = calendar_from_dict(
    {
        "timezone": "Europe/Berlin",
        "week": {d: ["08:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": {"dates": HOLIDAYS},
    }
)


def _utc(t: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, dt.UTC)


def _cases(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    starts = rng.integers(at("2026-03-01T00:00"), at("2026-11-30T00:00"), n)
    return starts, starts + rng.integers(0, 12 * 86_400, n)


def test_business_seconds_agree_with_businesstimedelta() -> None:
    rules = _rules()
    starts, ends = _cases(300)
    ours = sla.business_seconds(CALENDAR, starts, ends)
    for s, e, mine in zip(starts.tolist(), ends.tolist(), ours.tolist(), strict=True):
        delta = rules.difference(_utc(s), _utc(e))  # type: ignore[attr-defined]
        assert mine == int(delta.timedelta.total_seconds()), (s, e)


def test_deadlines_agree_with_businesstimedelta() -> None:
    rules = _rules()
    starts, ends = _cases(300)
    targets = np.maximum(sla.business_seconds(CALENDAR, starts, ends), 1)
    ours = sla.deadlines(CALENDAR, starts, targets)
    for s, x, mine in zip(starts.tolist(), targets.tolist(), ours.tolist(), strict=True):
        theirs = _utc(s) + btd.BusinessTimeDelta(rules, seconds=x)
        assert mine == int(theirs.timestamp()), (s, x)
