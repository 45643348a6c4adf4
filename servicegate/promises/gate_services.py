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
from servicegate.core.delegation import decides_by_delegation
from servicegate.core.permissions import has_capability, require_capability
from servicegate.promises.audit import audit_record, diff, snapshot
from servicegate.promises.choices import Answer, AuditAction, Decision, PromiseState
from servicegate.promises.errors import ConcurrentEditError, TransitionError
from servicegate.promises.gate_rules import checklist_blockers, has_passed
from servicegate.promises.models import (
    Contract,
    CriterionAnswer,
    Evidence,
    GateCriterion,
    GateDefinition,
    GateReview,
    Promise,
)
from servicegate.promises.revision import retire_replaced
from servicegate.promises.transitions import check_version, promise_gate_move, promise_transition

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
# These are the only ways to take those steps (see ``gate_rules``). A failed G3 or G4
# leaves the promise where it is, with the counter-proposal on record; after a failed G4
# the promise may be retired (an explicit step) or revised. G2 moves nothing: committing
# is Sales' own step, which the handover review does not replace.
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
    """Add a criterion to ``gate`` or change one (``define_gates``); retire, never delete.

    Every change makes a new version of the gate. A criterion that decided reviews
    answered is not changed in place: it is retired and a new one takes its place, so
    that a decided review keeps the checklist it was decided under; open reviews move
    to the new criterion (their answer kept unless the question changed).
    """
    require_capability(by, "define_gates")
    with transaction.atomic():
        current_gate = GateDefinition.objects.select_for_update().get(pk=gate.pk)
        if criterion is not None:  # as stored (a bound form may have changed the instance)
            criterion = GateCriterion.objects.get(pk=criterion.pk, gate=current_gate)
        before = snapshot(criterion, CRITERION_FIELDS) if criterion else {}
        target = criterion or GateCriterion(gate=current_gate)
        if criterion is not None and _decided_answers(criterion):
            target = GateCriterion(gate=current_gate, **before)
        for name, value in fields.items():
            setattr(target, name, value)
        target.full_clean()
        changes = diff(before, snapshot(target, CRITERION_FIELDS))
        if criterion is not None and not changes:
            return criterion
        target.save()
        if criterion is not None and target.pk != criterion.pk:
            _replace_criterion(criterion, target, keep_answers="question" not in changes)
        else:
            _answer_in_open_reviews(target)
        current_gate.version += 1
        current_gate.save(update_fields=["version"])
        audit_record(
            obj=current_gate,
            by=by,
            action=AuditAction.UPDATE if criterion else AuditAction.CREATE,
            changes={f"criterion {target.pk}.{k}": v for k, v in changes.items()},
        )
    return target


def _decided_answers(criterion: GateCriterion) -> bool:
    return (
        CriterionAnswer.objects.filter(criterion=criterion)
        .exclude(review__decision=Decision.OPEN)
        .exists()
    )


def _replace_criterion(old: GateCriterion, new: GateCriterion, *, keep_answers: bool) -> None:
    """Retire ``old``; the open reviews' answers to it answer ``new`` from now on."""
    GateCriterion.objects.filter(pk=old.pk).update(is_active=False)
    moved = CriterionAnswer.objects.filter(criterion=old, review__decision=Decision.OPEN)
    if keep_answers:
        moved.update(criterion=new)
    else:
        moved.update(criterion=new, answer="", note="")


def _answer_in_open_reviews(criterion: GateCriterion) -> None:
    """Open reviews of the gate get an empty answer to a new active criterion."""
    if not criterion.is_active:
        return
    open_reviews = GateReview.objects.filter(gate_id=criterion.gate_id, decision=Decision.OPEN)
    CriterionAnswer.objects.bulk_create(
        [CriterionAnswer(review=r, criterion=criterion) for r in open_reviews],
        ignore_conflicts=True,
    )


def may_review(by: Actor, gate: GateDefinition) -> bool:
    """Whether ``by`` reviews at ``gate``: with the gate's capability, or for G3 when the
    service manager delegated the service start to them as team lead (levels 5-7)."""
    if has_capability(by, gate_capability(gate)):
        return True
    return gate.code == "G3" and decides_by_delegation(by, "g3_service_start")


def _require_reviewer(review_gate: GateDefinition, promise: Promise | None, by: Actor) -> None:
    if not may_review(by, review_gate):
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
    """Open a review of ``promise`` (or ``contract``) at ``gate`` with an empty checklist.

    Opening the G4 review of a promise in service also puts it under review (the one
    "G4 review" action; the plain transition is not offered as a button).
    """
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
        )
        if promise is not None and gate.code == "G4" and promise.state == PromiseState.IN_SERVICE:
            # one action: opening the G4 review puts the promise under review
            promise_transition(promise=promise, to=PromiseState.UNDER_REVIEW, by=by)
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


def _latest_verdict(promise: Promise) -> str:
    """The verdict of the promise's latest stored feasibility check ("" if none)."""
    latest = promise.feasibility_results.order_by("-computed_at", "-pk").first()
    return latest.verdict if latest is not None else ""


def _check_decision(
    current: GateReview, decision: str, conditions: str, counter_proposal: str, override: str
) -> None:
    """Refuse a decision the checklist, the evidence or the gate order does not allow."""
    blockers = checklist_blockers(current, decision)
    if blockers:
        raise ValidationError(
            {"decision": _("The review cannot be decided yet: %(b)s") % {"b": "; ".join(blockers)}}
        )
    if decision == Decision.PASS_WITH_CONDITIONS and not conditions.strip():
        raise ValidationError({"conditions": _("Name the conditions of the approval.")})
    if decision == Decision.FAIL and not counter_proposal.strip():
        raise ValidationError({"counter_proposal": _("A failed review needs a counter-proposal.")})
    promise = current.promise
    if promise is None or decision == Decision.FAIL:
        return
    code = current.gate.code
    if code == "G1" and not override.strip() and _latest_verdict(promise) == "red":
        raise ValidationError(
            {
                "override_reason": _(
                    "The feasibility check says red: passing G1 against it needs an override "
                    "reason saying why the promise can be kept all the same."
                )
            }
        )
    if code == "G3" and promise.state != PromiseState.COMMITTED:
        raise TransitionError(
            _("G3 can pass only for a committed promise; Sales commits it after G1 first.")
        )
    if code == "G3" and not has_passed(promise, "G2"):
        raise TransitionError(
            _("G3 can pass only after a passed G2 handover review; decide G2 first.")
        )


def gate_review_decide(
    *,
    review: GateReview,
    decision: str,
    by: Actor,
    comments: str = "",
    conditions: str = "",
    counter_proposal: str = "",
    override_reason: str = "",
    version: int | None = None,
) -> GateReview:
    """Decide an open review; the decision may move its promise (see DECISION_MOVES).

    Deciding needs every mandatory criterion answered, a note on each "not applicable"
    and the evidence the criteria ask for; passing needs evidence; passing with
    conditions needs the conditions; failing needs a counter-proposal; passing G1
    against a red feasibility verdict needs ``override_reason``; G3 passes only after
    a passed G2.  ``version`` is the promise version the reviewer saw (stale: refused).
    Nothing changes on a refusal.
    """
    _require_reviewer(review.gate, review.promise, by)
    if decision not in (Decision.PASS, Decision.PASS_WITH_CONDITIONS, Decision.FAIL):
        raise ValidationError({"decision": _("Decide pass, pass with conditions or fail.")})
    with transaction.atomic():
        current = _open_review(review)
        promise = current.promise
        if promise is not None:
            check_version(promise, version)
        _check_decision(current, decision, conditions, counter_proposal, override_reason)
        current.decision = decision
        current.reviewer = as_user(by)
        current.comments, current.conditions = comments, conditions
        current.counter_proposal = counter_proposal
        current.override_reason = override_reason.strip()
        current.decided_at = timezone.now()
        current.save()
        changes: dict[str, list[Any]] = {"decision": ["", decision]}
        if current.override_reason:
            changes["override_reason"] = ["", current.override_reason]
        audit_record(
            obj=current, by=by, action=AuditAction.DECIDE, changes=changes, comment=comments
        )
        if promise is not None:
            _move_promise(current, promise, decision, by)
    return current


def _move_promise(review: GateReview, promise: Promise, decision: str, by: Actor) -> None:
    move = DECISION_MOVES.get((review.gate.code, promise.state), {}).get(decision)
    if not move:
        return
    note = " ".join(t for t in (review.comments or review.conditions, review.override_reason) if t)
    moved = promise_gate_move(
        promise=promise,
        to=move,
        by=by,
        comment=note,
        because={"gate": [None, review.gate.code], "decision": ["", decision]},
        counter_proposal=review.counter_proposal if decision == Decision.FAIL else None,
    )
    if moved.state == PromiseState.IN_SERVICE and moved.replaces_id is not None:
        retire_replaced(successor=moved, by=by)
