"""Writes for business calendars: create and change, with history and recomputation."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from servicegate.calendars.models import BusinessCalendar, CalendarRevision
from servicegate.calendars.signals import calendar_changed
from servicegate.core.permissions import require_capability
from servicegate.engines.calendars import calendar_to_dict, parse_calendar


def calendar_save(
    *,
    calendar: BusinessCalendar | None,
    name: str,
    description: str,
    source: str,
    by: User,
    comment: str = "",
) -> BusinessCalendar:
    """Create (``calendar=None``) or change a calendar from its TOML text.

    The text is parsed by the engine first: a malformed calendar raises
    ``CalendarError`` naming the field and line, and nothing is stored. A change of the
    definition records a revision and, after commit, sends ``calendar_changed`` so the
    clocks running on this calendar are recomputed in the background.
    """
    require_capability(by, "manage_calendars")
    parsed = parse_calendar(source, source=name or "calendar")
    definition = calendar_to_dict(parsed)
    with transaction.atomic():
        if calendar is None:
            calendar = BusinessCalendar(name=name)
            changed = True
        else:
            calendar = BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)
            changed = calendar.definition != definition
        calendar.name = name
        calendar.description = description
        calendar.timezone = parsed.timezone
        calendar.definition = definition
        calendar.save()
        if changed:
            CalendarRevision.objects.create(
                calendar=calendar, definition=definition, changed_by=by, comment=comment[:300]
            )
            saved = calendar
            transaction.on_commit(
                lambda: calendar_changed.send(sender=BusinessCalendar, calendar=saved)
            )
    return calendar
