"""The history replay's input as the API and the command take it: texts, parsed once.

Both read the same names (``from``, ``to``, ``period``, ``target_value``,
``target_unit``, ``calendar``, ``start_statuses``, ``pause_statuses``,
``stop_statuses``, ``reopen``); statuses are comma-separated, an empty text meaning
"none". Every mistake is a :class:`replay.ReplayError` with one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.measurement.replay import HistoryReplay, Overrides, ReplayError, history_replay
from servicegate.promises.choices import TargetUnit
from servicegate.promises.models import Promise

#: Suffixes of the command's ``--target`` (``6h``, ``4bh``, ``1bd``, ``30m``).
TARGET_SUFFIXES = {
    "m": TargetUnit.MINUTES,
    "min": TargetUnit.MINUTES,
    "h": TargetUnit.HOURS,
    "bh": TargetUnit.BUSINESS_HOURS,
    "bd": TargetUnit.BUSINESS_DAYS,
}
_TARGET = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-z]+)\s*$")


@dataclass(frozen=True)
class ReplayInput:
    """The replay's input as texts (None: not given)."""

    start: str | None = None
    end: str | None = None
    period: str | None = None
    target_value: str | None = None
    target_unit: str | None = None
    calendar: str | None = None
    start_statuses: str | None = None
    pause_statuses: str | None = None
    stop_statuses: str | None = None
    reopen: str | None = None


def parse_target(text: str) -> tuple[Decimal, str]:
    """``6h`` → (6, hours); ``4bh`` business hours, ``1bd`` business days, ``30m`` minutes."""
    match = _TARGET.match(text.lower())
    unit = TARGET_SUFFIXES.get(match.group(2)) if match else None
    if match is None or unit is None:
        raise ReplayError(
            _(
                "%(text)s is no target; write a number and a unit: 30m, 6h, 4bh (business "
                "hours) or 1bd (business day)."
            )
            % {"text": text}
        )
    return Decimal(match.group(1).replace(",", ".")), str(unit)


def _day(text: str | None, name: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ReplayError(
            _("%(name)s (%(text)s) is no day; write it as YYYY-MM-DD.")
            % {"name": name, "text": text}
        ) from None


def _value(text: str | None) -> Decimal | None:
    if text is None or not text.strip():
        return None
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ReplayError(_("The target value (%(text)s) is no number.") % {"text": text})
    return value


def _calendar(text: str | None) -> BusinessCalendar | None:
    if text is None or not text.strip():
        return None
    found = (
        BusinessCalendar.objects.filter(pk=int(text)).first() if text.strip().isdigit() else None
    )
    if found is None:
        raise ReplayError(
            _("There is no business calendar with id %(id)s; choose one from the calendars page.")
            % {"id": text}
        )
    return found


def _statuses(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(s.strip() for s in text.split(",") if s.strip())


def overrides_of(given: ReplayInput) -> Overrides:
    """The overrides named in ``given`` (unknown statuses are refused by the replay)."""
    return Overrides(
        target_value=_value(given.target_value),
        target_unit=given.target_unit.strip() if given.target_unit else None,
        calendar=_calendar(given.calendar),
        start_statuses=_statuses(given.start_statuses),
        pause_statuses=_statuses(given.pause_statuses),
        stop_statuses=_statuses(given.stop_statuses),
        reopen=given.reopen.strip() if given.reopen else None,
    )


def replay_of_input(
    *, promise: Promise, given: ReplayInput, now: datetime | None = None
) -> HistoryReplay:
    """Parse ``given`` and replay ``promise`` (``ReplayError`` with a sentence)."""
    return history_replay(
        promise=promise,
        overrides=overrides_of(given),
        start=_day(given.start, "from"),
        end=_day(given.end, "to"),
        period=given.period.strip() if given.period and given.period.strip() else None,
        now=now,
    )
