"""Discovered SLA rules stored as draft promises that can measure the history they came from.

* **Validity** starts on the day the first ticket of the analysed history was opened, so
  the drafts cover every ticket they were learnt from.
* **Calendar**: a rule on 24×7 uses an existing active 24×7 calendar (any zone: an
  always-open calendar counts the same seconds everywhere); only if there is none is one
  named "24x7 (UTC)" created.
* **Target**: exact to the second where the unit allows — whole hours in hours, else
  minutes (two decimals); a target of 0 s stays 0.
* **Clock terms**: the start statuses, pauses and stop statuses of the rule, so a
  ``close`` rule stops at *closed* only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.engines.calendars import DAY, Calendar, calendar_to_dict, twenty_four_seven
from servicegate.measurement.rules import calendar_of
from servicegate.promises import services as promise_services
from servicegate.promises.choices import TargetUnit
from servicegate.promises.models import Promise

TWENTY_FOUR_SEVEN_NAME = "24x7 (UTC)"


def is_always_open(cal: Calendar) -> bool:
    """Whether ``cal`` is open around the clock every day, without holidays."""
    return (
        all(day == ((0, DAY),) for day in cal.week)
        and not cal.holidays
        and cal.holiday_country is None
        and not cal.special
    )


def always_open_calendar() -> BusinessCalendar:
    """An existing active 24×7 calendar, or a new one (see the module docstring)."""
    for calendar in BusinessCalendar.objects.filter(is_active=True).order_by("pk"):
        if is_always_open(calendar_of(calendar)):
            return calendar
    return BusinessCalendar.objects.create(
        name=TWENTY_FOUR_SEVEN_NAME,
        timezone="UTC",
        definition=calendar_to_dict(twenty_four_seven("UTC")),
    )


def target_of(seconds: int) -> tuple[Decimal, str]:
    """``(value, unit)`` for a target in seconds: hours if whole, else minutes."""
    if seconds % 3600 == 0:
        return Decimal(seconds // 3600).quantize(Decimal("0.01")), TargetUnit.HOURS
    return (Decimal(seconds) / 60).quantize(Decimal("0.01")), TargetUnit.MINUTES


def discovered_promises_create(
    *, result: dict[str, Any], by: User, product: ServiceProduct
) -> list[Promise]:
    """Create the rules of a discovery ``result`` as draft promises of ``product``."""
    valid_from = date.fromisoformat(result["first_opened"]) if result.get("first_opened") else None
    created = []
    with transaction.atomic():
        for rule in result["rules"]:
            if rule["calendar_id"] is None:
                calendar = always_open_calendar()
            else:
                calendar = BusinessCalendar.objects.get(pk=rule["calendar_id"])
            value, unit = target_of(int(rule["target_seconds"]))
            share = Decimal(str(rule.get("met_share") or 0.5)) * 100
            extra = {"valid_from": valid_from} if valid_from else {}
            created.append(
                promise_services.promise_create(
                    by=by,
                    title=f"Discovered {rule['clock']} {rule['priority']}".strip(),
                    product=product,
                    metric=rule["metric"],
                    target_value=value,
                    target_unit=unit,
                    attainment_percent=min(max(share, Decimal(1)), Decimal(100)).quantize(
                        Decimal("0.01")
                    ),
                    priority=rule["priority"],
                    calendar=calendar,
                    clock_start_statuses=rule["start_statuses"],
                    clock_pause_statuses=rule["pause_statuses"],
                    clock_stop_statuses=rule["stop_statuses"],
                    made_by_role="sales",
                    source="contract",
                    source_reference=(
                        f"SLA discovery: agreement {rule['agreement']} on {rule['tickets']} tickets"
                    ),
                    **extra,
                )
            )
    return created
