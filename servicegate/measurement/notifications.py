"""Breach warnings: who hears when a clock passes its warning point and when it breaches.

``breach_warnings`` runs every minute (``breach_warnings_task``, enqueued by every
worker; see ``settings.SERVICEGATE_PERIODIC_TASKS``). It selects the running clocks
whose warning point or breach instant lies within ``LOOKBACK`` and notifies the
ticket's assignee and every dispatcher: in the app (``Notification``), in the personal
inbox (``inbox_items``) and by e-mail. The unique constraint on (ticket, promise, kind,
recipient) makes a second worker's insert fail, so each notice and each e-mail goes
out once however many workers run the check at the same minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from servicegate.accounts import roles
from servicegate.inbox.items import InboxItem
from servicegate.measurement.choices import ClockState
from servicegate.measurement.models import Clock, Notification

#: Clocks that passed a point longer ago than this are not announced any more (a worker
#: that was down for days does not flood the inboxes).
LOOKBACK = timedelta(days=1)
KIND_TEXT: dict[str, str] = {
    Notification.Kind.WARNING: gettext_noop("%(number)s: %(promise)s reached its warning point."),
    Notification.Kind.BREACH: gettext_noop("%(number)s: %(promise)s is breached."),
}


def _due(now: datetime) -> list[tuple[Clock, str, datetime]]:
    """(clock, kind, instant) for every warning point and breach passed in LOOKBACK."""
    since = now - LOOKBACK
    running = Clock.objects.filter(
        state__in=[ClockState.RUNNING, ClockState.BREACHED_RUNNING]
    ).select_related("ticket__technician", "promise")
    out: list[tuple[Clock, str, datetime]] = []
    for clock in running.filter(
        Q(warn_at__gt=since, warn_at__lte=now) | Q(breach_at__gt=since, breach_at__lte=now)
    ):
        if clock.warn_at is not None and since < clock.warn_at <= now:
            out.append((clock, Notification.Kind.WARNING, clock.warn_at))
        if clock.breach_at is not None and since < clock.breach_at <= now:
            out.append((clock, Notification.Kind.BREACH, clock.breach_at))
    return out


def _dispatchers() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=roles.DISPATCHER).distinct())


def breach_warnings(*, now: datetime | None = None) -> int:
    """Notify about every clock that passed its warning point or breached; the number of
    notifications created (0 for what an earlier or a parallel run created)."""
    now = now or timezone.now()
    dispatchers = _dispatchers()
    created = 0
    for clock, kind, at in _due(now):
        recipients = list(dispatchers)
        technician = clock.ticket.technician
        if technician is not None and technician.user is not None:
            recipients.append(technician.user)
        for user in {u.pk: u for u in recipients}.values():
            created += _notify(user, clock, kind, at)
    return created


def _notify(user: User, clock: Clock, kind: str, at: datetime) -> int:
    """Create the notification and send its e-mail, unless it exists already."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                user=user, ticket_id=clock.ticket_id, promise_id=clock.promise_id, kind=kind, at=at
            )
            if user.email:
                text = _(KIND_TEXT[kind]) % {
                    "number": clock.ticket.number,
                    "promise": clock.promise,
                }
                transaction.on_commit(
                    lambda: send_mail(
                        text, text, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True
                    )
                )
    except IntegrityError:  # another worker was first
        return 0
    return 1


@task()
def breach_warnings_task() -> None:
    """The minute's check (see the module docstring)."""
    breach_warnings()


def notifications_of(user: User) -> QuerySet[Notification]:
    """The notifications of ``user``, newest first."""
    return Notification.objects.filter(user=user).select_related("ticket", "promise")


def notification_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of ``by``'s notifications read (idempotent)."""
    if notification.user_id != by.pk:
        raise PermissionError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def inbox_items(user: User) -> list[InboxItem]:
    """The unread breach warnings of ``user`` as inbox items (``SERVICEGATE_INBOX_SOURCES``)."""
    from django.urls import reverse

    if not user.is_authenticated:
        return []
    items = []
    for n in notifications_of(user).filter(read_at__isnull=True)[:50]:
        title = _(KIND_TEXT[n.kind]) % {"number": n.ticket.number, "promise": n.promise}
        url = reverse("operations:ticket_detail", args=[n.ticket_id])
        items.append(
            InboxItem(
                kind=n.kind,
                label=str(n.get_kind_display()),
                title=title,
                url=url,
                since=n.at,
                promise=n.promise_id,
                ticket=n.ticket_id,
            )
        )
    return items
