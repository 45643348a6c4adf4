"""Writes of promises, contracts and gates: one keyword-only function per action.

Every function checks the caller's capability, runs in one transaction and appends
the audit trail.  Views, the API, the demo and the admin all go through here. The
lifecycle moves live in ``transitions.py`` and the gate reviews in ``gate_services.py``;
both are imported here so that callers have one import place.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import require_capability
from servicegate.promises.audit import audit_record, diff, snapshot
from servicegate.promises.choices import AuditAction, PromiseState
from servicegate.promises.errors import ConcurrentEditError, TransitionError
from servicegate.promises.gate_services import (
    evidence_add,
    gate_criterion_save,
    gate_definition_update,
    gate_review_answer,
    gate_review_decide,
    gate_review_open,
)
from servicegate.promises.models import Contract, Promise
from servicegate.promises.transitions import may_transition, promise_transition

PROMISE_FIELDS: tuple[str, ...] = (
    "title",
    "metric",
    "custom_metric",
    "target_value",
    "target_unit",
    "attainment_percent",
    "calendar",
    "clock_start_statuses",
    "clock_pause_statuses",
    "clock_stop_statuses",
    "reopen_behaviour",
    "warning_percent",
    "product",
    "segment",
    "priority",
    "customer",
    "contract",
    "made_by_role",
    "source",
    "source_reference",
    "valid_from",
    "valid_to",
)
EDITABLE_STATES = frozenset({PromiseState.DRAFT, PromiseState.REJECTED})


def _assign(promise: Promise, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROMISE_FIELDS)
    if unknown:
        raise ValueError(f"Promises have no editable field(s) {sorted(unknown)}.")
    for name, value in fields.items():
        setattr(promise, name, value)
    if promise.segment_id is None and promise.product_id is not None:
        promise.segment_id = promise.product.segment_id


def promise_create(*, by: Actor, **fields: Any) -> Promise:
    """Create a draft promise made by ``by``; needs ``propose_promise``."""
    require_capability(by, "propose_promise")
    promise = Promise(made_by=as_user(by), state=PromiseState.DRAFT)
    _assign(promise, fields)
    promise.full_clean()
    with transaction.atomic():
        promise.save()
        audit_record(
            obj=promise,
            by=by,
            action=AuditAction.CREATE,
            changes={k: [None, v] for k, v in snapshot(promise, PROMISE_FIELDS).items()},
        )
    return promise


def promise_update(*, promise: Promise, by: Actor, version: int, **fields: Any) -> Promise:
    """Change a draft (or rejected) promise; refuse if ``version`` is stale."""
    require_capability(by, "propose_promise")
    with transaction.atomic():
        current = Promise.objects.select_for_update().get(pk=promise.pk)
        if current.version != version:
            raise ConcurrentEditError(
                _(
                    "Someone else changed this promise in the meantime (version %(now)s, "
                    "you edited version %(yours)s). Reload it and apply your change again."
                )
                % {"now": current.version, "yours": version}
            )
        if current.state not in EDITABLE_STATES:
            raise TransitionError(
                _(
                    "Only draft or rejected promises can be edited; this one is “%(state)s”. "
                    "Start a G4 review to change a promise in service."
                )
                % {"state": current.get_state_display()}
            )
        before = snapshot(current, PROMISE_FIELDS)
        _assign(current, fields)
        current.full_clean()
        changes = diff(before, snapshot(current, PROMISE_FIELDS))
        if changes:
            current.version += 1
            current.save()
            audit_record(obj=current, by=by, action=AuditAction.UPDATE, changes=changes)
    return current


def contract_create(
    *,
    by: Actor,
    number: str,
    customer: Any,
    starts_on: Any,
    ends_on: Any = None,
    products: Any = (),
    notes: str = "",
) -> Contract:
    """Record a contract with its products; needs ``propose_promise``."""
    require_capability(by, "propose_promise")
    contract = Contract(
        number=number, customer=customer, starts_on=starts_on, ends_on=ends_on, notes=notes
    )
    contract.full_clean()
    with transaction.atomic():
        contract.save()
        contract.products.set(list(products))
        audit_record(
            obj=contract,
            by=by,
            action=AuditAction.CREATE,
            changes=diff({}, snapshot(contract, ("number", "customer", "starts_on", "ends_on"))),
        )
    return contract


__all__ = [
    "Actor",
    "ConcurrentEditError",
    "TransitionError",
    "as_user",
    "contract_create",
    "evidence_add",
    "gate_criterion_save",
    "gate_definition_update",
    "gate_review_answer",
    "gate_review_decide",
    "gate_review_open",
    "may_transition",
    "promise_create",
    "promise_transition",
    "promise_update",
]
