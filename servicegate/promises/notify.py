"""One e-mail per new inbox item of a promise, sent on the write that creates it.

A state change that puts a promise into someone's inbox (submitted to G1, committed
and waiting for G3, under G4 review, rejected with a counter-proposal) mails each
person the item is for, once, after the transaction commits, in their language.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from servicegate.accounts.models import Profile
from servicegate.promises.inbox import KINDS, Kind, owner_roles
from servicegate.promises.models import Promise


def recipients(kind: Kind, promise: Promise) -> list[User]:
    """Who gets the item ``kind`` of ``promise``: the maker, or the holders of the role
    that owns the gate except the maker (four eyes)."""
    if not kind.gate:
        return [promise.made_by]
    role = owner_roles().get(kind.gate)
    if role is None:
        return []
    users = User.objects.filter(is_active=True, groups__name=role).exclude(pk=promise.made_by_id)
    return list(users.distinct().order_by("pk"))


def notify_state(promise: Promise) -> None:
    """Mail the people whose inbox ``promise`` just entered, after the commit."""
    kind = next((k for k in KINDS if k.state == promise.state), None)
    if kind is None:
        return
    people = [u for u in recipients(kind, promise) if u.email]
    if people:
        transaction.on_commit(lambda: _send(kind, promise, people))


def _language(user: User) -> str:
    profile = Profile.objects.filter(user=user).first()
    return (profile.language if profile else "") or settings.LANGUAGE_CODE


def _send(kind: Kind, promise: Promise, people: list[User]) -> None:
    path = reverse("promises:detail", args=[promise.pk])
    for user in people:
        with translation.override(_language(user)):
            subject = _("Servicegate inbox: %(kind)s — %(promise)s") % {
                "kind": kind.label,
                "promise": promise,
            }
            body = _(
                "%(kind)s waits for you: %(promise)s.\n\nOpen it in Servicegate: %(path)s\n"
            ) % {"kind": kind.label, "promise": promise, "path": path}
        send_mail(subject, body, None, [user.email], fail_silently=True)
