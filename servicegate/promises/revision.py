"""Revision of a live promise: a successor draft that replaces it once it is in service.

A promise in service (or under its G4 review) cannot be edited: what customers were
promised stays on record.  Sales revises it instead: the successor starts as a draft
with a copy of its terms, passes the gates like any promise, and when it goes into
service the original is retired automatically.  Both histories name each other.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import require_capability
from servicegate.promises.audit import audit_record, snapshot
from servicegate.promises.choices import AuditAction, PromiseState
from servicegate.promises.errors import TransitionError
from servicegate.promises.models import PROMISE_FIELDS, Promise
from servicegate.promises.transitions import state_write

REVISABLE_STATES = frozenset({PromiseState.IN_SERVICE, PromiseState.UNDER_REVIEW})


def promise_revise(*, promise: Promise, by: Actor) -> Promise:
    """Start a successor of ``promise`` as a draft with a copy of its terms (``propose_promise``).

    Only promises in service or under review can be revised, and only one successor
    may be on its way at a time.
    """
    require_capability(by, "propose_promise")
    with transaction.atomic():
        current = Promise.objects.select_for_update().get(pk=promise.pk)
        if current.state not in REVISABLE_STATES:
            raise TransitionError(
                _(
                    "Only a promise in service or under review can be revised; this one is "
                    "“%(state)s”. Edit a draft directly."
                )
                % {"state": current.get_state_display()}
            )
        pending = current.successors.exclude(state=PromiseState.RETIRED).first()
        if pending is not None:
            raise TransitionError(
                _("This promise is already being revised by promise #%(pk)s; continue that one.")
                % {"pk": pending.pk}
            )
        successor = Promise(made_by=as_user(by), state=PromiseState.DRAFT, replaces=current)
        for name in PROMISE_FIELDS:
            setattr(successor, name, getattr(current, name))
        successor.full_clean()
        successor.save()
        copied = snapshot(successor, PROMISE_FIELDS)
        audit_record(
            obj=successor,
            by=by,
            action=AuditAction.CREATE,
            changes={"replaces": [None, current.pk], **{k: [None, v] for k, v in copied.items()}},
        )
        audit_record(
            obj=current,
            by=by,
            action=AuditAction.UPDATE,
            changes={"successor": [None, successor.pk]},
        )
    return successor


def retire_replaced(*, successor: Promise, by: Actor) -> None:
    """Retire the promise ``successor`` replaces, now that the successor is in service.

    Runs inside the caller's transaction (the G3 decision that started the successor).
    """
    if successor.replaces_id is None:
        return
    original = Promise.objects.select_for_update().get(pk=successor.replaces_id)
    if original.state == PromiseState.RETIRED:
        return
    state_write(
        original,
        to=PromiseState.RETIRED,
        by=by,
        comment="",
        extra={"replaced_by": [None, successor.pk]},
    )
