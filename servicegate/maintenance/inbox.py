"""Preventive services in the personal inbox: condition alarms waiting for a technician."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import gettext as _

from servicegate.core.permissions import has_capability
from servicegate.inbox.items import InboxItem
from servicegate.maintenance.choices import TriggerKind
from servicegate.maintenance.models import PlanWorkOrder
from servicegate.operations.choices import STOP_STATUSES


def condition_alarm_items(user: User | AnonymousUser) -> list[InboxItem]:
    """For dispatchers: open work orders a condition trigger opened that no technician
    holds yet (``SERVICEGATE_INBOX_SOURCES``; one query)."""
    if not has_capability(user, "dispatch"):
        return []
    alarms = (
        PlanWorkOrder.objects.filter(
            trigger__kind=TriggerKind.CONDITION, ticket__technician__isnull=True
        )
        .exclude(ticket__status__in=sorted(STOP_STATUSES))
        .select_related("ticket", "asset", "trigger")
        .order_by("ticket__opened_at", "id")[:50]
    )
    return [
        InboxItem(
            kind="condition_alarm",
            label=_("condition alarm"),
            title=_(
                "%(asset)s crossed %(counter)s ≥ %(threshold)s: work order %(number)s waits"
                " for a technician."
            )
            % {
                "asset": alarm.asset,
                "counter": alarm.trigger.counter,
                "threshold": f"{alarm.trigger.threshold:g}",
                "number": alarm.ticket.number,
            },
            url=reverse("operations:ticket_detail", args=[alarm.ticket_id]),
            since=alarm.ticket.opened_at,
            ticket=alarm.ticket_id,
        )
        for alarm in alarms
    ]
