"""Lifecycle moves of a promise: checked against the lifecycle, the role and four eyes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor
from servicegate.core.permissions import has_capability
from servicegate.promises import lifecycle
from servicegate.promises.audit import audit_record
from servicegate.promises.choices import AuditAction, PromiseState
from servicegate.promises.errors import TransitionError
from servicegate.promises.models import Promise


def _check_transition(promise: Promise, to: str, by: Actor) -> lifecycle.Transition:
    step = lifecycle.find(promise.state, to)
    if step is None:
        raise TransitionError(
            _("A promise cannot move from “%(state)s” to “%(to)s”.")
            % {"state": promise.get_state_display(), "to": to}
            + " "
            + lifecycle.describe_next(promise.state)
        )
    if not has_capability(by, step.capability):
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
    return step


def may_transition(promise: Promise, to: str, by: Actor) -> bool:
    """Whether ``by`` may move ``promise`` to ``to`` now (for showing buttons)."""
    try:
        _check_transition(promise, to, by)
    except (TransitionError, PermissionDenied):
        return False
    return True


def promise_transition(
    *,
    promise: Promise,
    to: str,
    by: Actor,
    comment: str = "",
    counter_proposal: str | None = None,
) -> Promise:
    """Move ``promise`` to state ``to``, checking lifecycle, role and four eyes.

    Rejecting needs a counter-proposal; it is kept on the promise so the rework
    (rejected → draft) can start from it.  Raises TransitionError for a step the
    lifecycle does not allow and PermissionDenied for a role that may not take it.
    """
    with transaction.atomic():
        current = Promise.objects.select_for_update().select_related("made_by").get(pk=promise.pk)
        _check_transition(current, to, by)
        if to == PromiseState.REJECTED and not (counter_proposal or "").strip():
            raise TransitionError(
                _("Rejecting a promise needs a counter-proposal: say what could be promised.")
            )
        changes: dict[str, list[Any]] = {"state": [current.state, to]}
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
    return current
