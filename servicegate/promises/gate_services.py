"""Writes of Service Quality Gates: definitions, criteria, reviews, evidence, decisions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.accounts.roles import ROLE_CAPABILITIES
from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import require_capability
from servicegate.promises.audit import audit_record, diff, snapshot
from servicegate.promises.choices import Answer, AuditAction, Decision, PromiseState
from servicegate.promises.errors import ConcurrentEditError, TransitionError
from servicegate.promises.models import (
    Contract,
    CriterionAnswer,
    Evidence,
    GateCriterion,
    GateDefinition,
    GateReview,
    Promise,
)
from servicegate.promises.selectors import review_blockers
from servicegate.promises.transitions import promise_transition

GATE_FIELDS = (
    "order",
    "code",
    "name",
    "description",
    "from_department",
    "to_department",
    "owner_role",
    "is_active",
)
CRITERION_FIELDS = ("order", "question", "required_evidence", "mandatory", "is_active")

# Deciding a review of a promise in this state at this gate moves the promise: G1 approves
# or rejects; a passed G3 starts the service; a passed G4 keeps the promise in service.
# A failed G3 or G4 leaves the promise where it is, with the counter-proposal on record
# (retiring a promise stays an explicit step). G2 moves nothing: committing is Sales'
# own step, which the handover review does not replace.
DECISION_MOVES: dict[tuple[str, str], dict[str, str]] = {
    ("G1", PromiseState.FEASIBILITY_REVIEW): {
        Decision.PASS: PromiseState.APPROVED,
        Decision.PASS_WITH_CONDITIONS: PromiseState.APPROVED,
        Decision.FAIL: PromiseState.REJECTED,
    },
    ("G3", PromiseState.COMMITTED): {
        Decision.PASS: PromiseState.IN_SERVICE,
        Decision.PASS_WITH_CONDITIONS: PromiseState.IN_SERVICE,
    },
    ("G4", PromiseState.UNDER_REVIEW): {
        Decision.PASS: PromiseState.IN_SERVICE,
        Decision.PASS_WITH_CONDITIONS: PromiseState.IN_SERVICE,
    },
}


def gate_capability(gate: GateDefinition) -> str:
    """The capability that reviews at ``gate`` need: that of the gate's owner role."""
    owner = ROLE_CAPABILITIES.get(gate.owner_role, frozenset())
    return "decide_gate" if "decide_gate" in owner or "run_review" not in owner else "run_review"


def gate_definition_update(
    *, gate: GateDefinition, by: Actor, version: int, **fields: Any
) -> GateDefinition:
    """Change a gate definition (``define_gates``); refuse a stale ``version``."""
    require_capability(by, "define_gates")
    with transaction.atomic():
        current = GateDefinition.objects.select_for_update().get(pk=gate.pk)
        if current.version != version:
            raise ConcurrentEditError(
                _("Someone else changed this gate in the meantime. Reload it and try again.")
            )
        before = snapshot(current, GATE_FIELDS)
        for name, value in fields.items():
            if name not in GATE_FIELDS:
                raise ValueError(f"Gates have no editable field {name!r}.")
            setattr(current, name, value)
        current.full_clean()
        changes = diff(before, snapshot(current, GATE_FIELDS))
        if changes:
            current.version += 1
            current.save()
            audit_record(obj=current, by=by, action=AuditAction.UPDATE, changes=changes)
    return current


def gate_criterion_save(
    *, gate: GateDefinition, by: Actor, criterion: GateCriterion | None = None, **fields: Any
) -> GateCriterion:
    """Add a criterion to ``gate`` or change one (``define_gates``); retire, never delete."""
    require_capability(by, "define_gates")
    with transaction.atomic():
        target = criterion or GateCriterion(gate=gate)
        before = snapshot(target, CRITERION_FIELDS) if criterion else {}
        for name, value in fields.items():
            setattr(target, name, value)
        target.full_clean()
        target.save()
        changes = {
            f"criterion {target.pk}.{k}": v
            for k, v in diff(before, snapshot(target, CRITERION_FIELDS)).items()
        }
        if changes:
            action = AuditAction.UPDATE if criterion else AuditAction.CREATE
            audit_record(obj=gate, by=by, action=action, changes=changes)
    return target


def _require_reviewer(review_gate: GateDefinition, promise: Promise | None, by: Actor) -> None:
    require_capability(by, gate_capability(review_gate))
    if promise is not None and promise.made_by_id == by.pk:
        raise PermissionDenied(
            _("You made this promise, so you cannot review its gate: four eyes.")
        )


def gate_review_open(
    *,
    gate: GateDefinition,
    by: Actor,
    promise: Promise | None = None,
    contract: Contract | None = None,
) -> GateReview:
    """Open a review of ``promise`` (or ``contract``) at ``gate`` with an empty checklist."""
    _require_reviewer(gate, promise, by)
    review = GateReview(gate=gate, promise=promise, contract=contract, created_by=as_user(by))
    review.full_clean()
    with transaction.atomic():
        if GateReview.objects.filter(
            gate=gate, promise=promise, contract=contract, decision=Decision.OPEN
        ).exists():
            raise TransitionError(
                _("There is already an open %(gate)s review; continue that one.")
                % {"gate": gate.code}
            )
        review.save()
        CriterionAnswer.objects.bulk_create(
            CriterionAnswer(review=review, criterion=c)
            for c in gate.criteria.filter(is_active=True)
        )
        target = promise or contract
        assert target is not None
        audit_record(
            obj=target,
            by=by,
            action=AuditAction.CREATE,
            changes={"review": [None, review.pk], "gate": [None, gate.code]},
            comment=_("Opened the %(gate)s review.") % {"gate": gate.code},
        )
    return review


def _open_review(review: GateReview) -> GateReview:
    current = GateReview.objects.select_for_update().get(pk=review.pk)
    if not current.is_open:
        raise TransitionError(_("This review is already decided; open a new review instead."))
    return current


def gate_review_answer(
    *, review: GateReview, by: Actor, answers: dict[int, tuple[str, str]]
) -> GateReview:
    """Record answers ``{criterion_id: (answer, note)}`` on an open review."""
    _require_reviewer(review.gate, review.promise, by)
    with transaction.atomic():
        current = _open_review(review)
        rows = {a.criterion_id: a for a in current.answers.select_related("criterion")}
        changes: dict[str, list[Any]] = {}
        for criterion_id, (answer, note) in answers.items():
            row = rows.get(criterion_id)
            if row is None:
                raise ValidationError(_("That criterion does not belong to this review."))
            if answer not in Answer.values:
                raise ValidationError({"answer": _("Answer yes, no or not applicable.")})
            if (row.answer, row.note) != (answer, note):
                changes[f"criterion {criterion_id}"] = [row.answer, answer]
                row.answer, row.note = answer, note
                row.save(update_fields=["answer", "note"])
        if changes:
            audit_record(obj=current, by=by, action=AuditAction.ANSWER, changes=changes)
    return current


def evidence_add(
    *,
    review: GateReview,
    by: Actor,
    kind: str,
    text: str = "",
    url: str = "",
    file: UploadedFile[Any] | None = None,
    criterion: GateCriterion | None = None,
) -> Evidence:
    """Attach evidence (text, link or file) to an open review."""
    _require_reviewer(review.gate, review.promise, by)
    with transaction.atomic():
        current = _open_review(review)
        evidence = Evidence(
            review=current,
            criterion=criterion,
            kind=kind,
            text=text,
            url=url,
            added_by=as_user(by),
        )
        if file is not None:
            evidence.file = file
        evidence.full_clean()
        evidence.save()
        audit_record(
            obj=current,
            by=by,
            action=AuditAction.EVIDENCE,
            changes={"evidence": [None, str(evidence)]},
        )
    return evidence


def gate_review_decide(
    *,
    review: GateReview,
    decision: str,
    by: Actor,
    comments: str = "",
    conditions: str = "",
    counter_proposal: str = "",
) -> GateReview:
    """Decide an open review; the decision may move its promise (see DECISION_MOVES).

    Passing needs every mandatory criterion answered and evidence; passing with
    conditions needs the conditions; failing needs a counter-proposal.
    """
    _require_reviewer(review.gate, review.promise, by)
    if decision not in (Decision.PASS, Decision.PASS_WITH_CONDITIONS, Decision.FAIL):
        raise ValidationError({"decision": _("Decide pass, pass with conditions or fail.")})
    with transaction.atomic():
        current = _open_review(review)
        if decision != Decision.FAIL:
            blockers = review_blockers(current)
            if blockers:
                raise ValidationError(
                    {
                        "decision": _("The review cannot pass yet: %(b)s")
                        % {"b": "; ".join(blockers)}
                    }
                )
        if decision == Decision.PASS_WITH_CONDITIONS and not conditions.strip():
            raise ValidationError({"conditions": _("Name the conditions of the approval.")})
        if decision == Decision.FAIL and not counter_proposal.strip():
            raise ValidationError(
                {"counter_proposal": _("A failed review needs a counter-proposal.")}
            )
        current.decision = decision
        current.reviewer = as_user(by)
        current.comments, current.conditions = comments, conditions
        current.counter_proposal = counter_proposal
        current.decided_at = timezone.now()
        current.save()
        audit_record(
            obj=current,
            by=by,
            action=AuditAction.DECIDE,
            changes={"decision": ["", decision]},
            comment=comments,
        )
        promise = current.promise
        if promise is not None:
            move = DECISION_MOVES.get((current.gate.code, promise.state), {}).get(decision)
            if move:
                note = comments or conditions
                promise_transition(
                    promise=promise,
                    to=move,
                    by=by,
                    comment=_("%(gate)s decided: %(d)s. %(note)s")
                    % {
                        "gate": current.gate.code,
                        "d": current.get_decision_display(),
                        "note": note,
                    },
                    counter_proposal=counter_proposal if decision == Decision.FAIL else None,
                )
    return current
