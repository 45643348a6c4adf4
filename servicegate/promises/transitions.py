"""Lifecycle moves of a promise: checked against the lifecycle, the role, four eyes and
the gates.

Plain steps (``promise_transition``) never take a step that belongs to a gate's review
(``gate_rules.plain_step_refusal``); a decided review moves the promise through
``promise_gate_move``.  Every move writes its audit entry and mails the people whose
inbox the promise enters.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor
from servicegate.core.delegation import decides_by_delegation
from servicegate.core.permissions import has_capability
from servicegate.promises import gate_rules, lifecycle
from servicegate.promises.audit import audit_record
from servicegate.promises.choices import AuditAction, PromiseState
from servicegate.promises.errors import ConcurrentEditError, TransitionError
from servicegate.promises.models import Promise
from servicegate.promises.notify import notify_state


def _check_transition(
    promise: Promise, to: str, by: Actor, *, plain: bool = True
) -> lifecycle.Transition:
    step = lifecycle.find(promise.state, to)
    if step is None:
        raise TransitionError(
            _("A promise cannot move from “%(state)s” to “%(to)s”.")
            % {"state": promise.get_state_display(), "to": to}
            + " "
            + lifecycle.describe_next(promise.state)
        )
    delegated = not plain and step.gate == "G3" and decides_by_delegation(by, "g3_service_start")
    if not (delegated or has_capability(by, step.capability)):
        raise PermissionDenied(
            _("Your role may not move a promise from “%(state)s” to “%(to)s”.")
            % {"state": promise.get_state_display(), "to": PromiseState(to).label}
        )
    if step.four_eyes and promise.made_by_id == by.pk:
        raise PermissionDenied(
            _(
                "You made this promise, so you cannot decide its gate: four eyes — "
                "someone else of the department that keeps it must decide."
            )
        )
    if plain:
        refusal = gate_rules.plain_step_refusal(promise, step)
        if refusal:
            raise TransitionError(refusal)
    return step


def may_transition(promise: Promise, to: str, by: Actor) -> bool:
    """Whether ``by`` may take the plain step to ``to`` now (for showing buttons)."""
    try:
        _check_transition(promise, to, by)
    except (TransitionError, PermissionDenied):
        return False
    return True


def check_version(current: Promise, version: int | None) -> None:
    """Refuse a decision taken on a stale ``version`` of ``current`` (None: not checked)."""
    if version is not None and current.version != version:
        raise ConcurrentEditError(
            _(
                "Someone else changed this promise in the meantime (version %(now)s, "
                "you saw version %(yours)s). Reload it and decide again."
            )
            % {"now": current.version, "yours": version}
        )


def promise_transition(
    *,
    promise: Promise,
    to: str,
    by: Actor,
    comment: str = "",
    counter_proposal: str | None = None,
    version: int | None = None,
) -> Promise:
    """Take a plain lifecycle step, checking lifecycle, role, four eyes and the gates.

    Steps that belong to a gate's review (approve, reject, start service, keep) are
    refused here: they are taken by deciding the review. Raises TransitionError for a
    step the lifecycle or the gates do not allow, ConcurrentEditError for a stale
    ``version`` and PermissionDenied for a role that may not take it.
    """
    with transaction.atomic():
        current = Promise.objects.select_for_update().select_related("made_by").get(pk=promise.pk)
        check_version(current, version)
        _check_transition(current, to, by)
        return state_write(
            current, to=to, by=by, comment=comment, counter_proposal=counter_proposal
        )


def promise_gate_move(
    *,
    promise: Promise,
    to: str,
    by: Actor,
    comment: str,
    because: dict[str, list[Any]],
    counter_proposal: str | None = None,
) -> Promise:
    """Move ``promise`` as its decided gate review says (called by the gate services).

    ``because`` adds to the history entry what caused the step (the gate and the
    decision of the review), as values, so that the history is worded when it is shown.
    """
    current = Promise.objects.select_for_update().select_related("made_by").get(pk=promise.pk)
    _check_transition(current, to, by, plain=False)
    return state_write(
        current,
        to=to,
        by=by,
        comment=comment,
        counter_proposal=counter_proposal,
        extra=because,
    )


def state_write(
    current: Promise,
    *,
    to: str,
    by: Actor,
    comment: str,
    counter_proposal: str | None = None,
    extra: dict[str, list[Any]] | None = None,
) -> Promise:
    """Write the state change of a locked promise with its audit entry.

    Rejecting needs a counter-proposal; it is kept on the promise so the rework
    (rejected → draft) can start from it.
    """
    if to == PromiseState.REJECTED and not (counter_proposal or "").strip():
        raise TransitionError(
            _("Rejecting a promise needs a counter-proposal: say what could be promised.")
        )
    changes: dict[str, list[Any]] = {"state": [current.state, to], **(extra or {})}
    if counter_proposal is not None and counter_proposal != current.counter_proposal:
        changes["counter_proposal"] = [current.counter_proposal, counter_proposal]
        current.counter_proposal = counter_proposal
    current.state = to
    current.state_changed_at = timezone.now()
    current.version += 1
    current.save()
    audit_record(
        obj=current, by=by, action=AuditAction.TRANSITION, changes=changes, comment=comment
    )
    notify_state(current)
    return current
