"""What scheduling puts into people's inboxes (``SERVICEGATE_INBOX_SOURCES``): a
technician's visits of today, and for dispatchers the tickets today's and tomorrow's
plans left out."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from servicegate.core.permissions import has_capability
from servicegate.inbox.items import InboxItem
from servicegate.scheduling.models import DayPlan
from servicegate.scheduling.selectors import technician_of, technician_visits


def schedule_items(user: User) -> list[InboxItem]:
    """Today's visits of the user's technician; plans with tickets left out (dispatch)."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    items = _visits(user, today)
    if has_capability(user, "dispatch"):
        items += _left_out(today)
    return items


def _visits(user: User, today: dt.date) -> list[InboxItem]:
    technician = technician_of(user)
    if technician is None:
        return []
    url = reverse("scheduling:my_day")
    return [
        InboxItem(
            kind="visit_today",
            label=_("Visit today"),
            title=_("%(start)s–%(end)s %(number)s at %(city)s")
            % {
                "start": timezone.localtime(v.start).strftime("%H:%M"),
                "end": timezone.localtime(v.end).strftime("%H:%M"),
                "number": v.ticket.number,
                "city": v.ticket.asset.site.city if v.ticket.asset else "–",
            },
            url=url,
            since=v.start,
            ticket=v.ticket_id,
        )
        for v in technician_visits(technician, today)
    ]


def _left_out(today: dt.date) -> list[InboxItem]:
    """The plans in force of today and tomorrow that left tickets out (one query)."""
    newest = DayPlan.objects.filter(date=OuterRef("date")).order_by("-created_at", "-pk")
    plans = (
        DayPlan.objects.filter(date__in=[today, today + dt.timedelta(days=1)])
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .annotate(left=Count("unassigned"))
        .filter(left__gt=0)
        .order_by("date")
    )
    return [
        InboxItem(
            kind="tickets_left_out",
            label=_("Tickets not planned"),
            title=ngettext(
                "The plan of %(day)s leaves %(n)d ticket without a visit.",
                "The plan of %(day)s leaves %(n)d tickets without a visit.",
                plan.left,
            )
            % {"day": plan.date.isoformat(), "n": plan.left},
            url=f"{reverse('scheduling:index')}?date={plan.date.isoformat()}",
            since=plan.created_at,
        )
        for plan in plans
    ]
