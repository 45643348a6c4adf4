"""What the gates demand before a promise may move: read-only checks, one sentence each.

Gates are the only way through (see ``lifecycle``): a step that belongs to a gate's
review is refused as a plain step, and a review decides only when its checklist and
evidence are complete.  Every refusal is one sentence naming the gate and what is
missing, in the reader's language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from servicegate.promises import lifecycle
from servicegate.promises.choices import Answer, Decision
from servicegate.promises.choices import PromiseState as S
from servicegate.promises.models import GateReview, Promise

PASSED = (Decision.PASS, Decision.PASS_WITH_CONDITIONS)
#: The states in which a review at one of the default gates is due; a gate an
#: organisation adds may be reviewed in any state.
DUE_IN: dict[str, frozenset[str]] = {
    "G1": frozenset({S.FEASIBILITY_REVIEW}),
    "G2": frozenset({S.APPROVED, S.COMMITTED}),
    "G3": frozenset({S.COMMITTED}),
    "G4": frozenset({S.IN_SERVICE, S.UNDER_REVIEW}),
}


def review_due(promise: Promise, code: str) -> bool:
    """Whether a review of ``promise`` at gate ``code`` belongs to its present state."""
    due = DUE_IN.get(code)
    return due is None or promise.state in due


def has_passed(promise: Promise, code: str) -> bool:
    """Whether a review of ``promise`` at gate ``code`` was passed (with or without conditions)."""
    return GateReview.objects.filter(promise=promise, gate__code=code, decision__in=PASSED).exists()


def failed_g4_since_review_began(promise: Promise) -> bool:
    """Whether a G4 review of ``promise`` failed since it went under review."""
    return GateReview.objects.filter(
        promise=promise,
        gate__code="G4",
        decision=Decision.FAIL,
        decided_at__gte=promise.state_changed_at,
    ).exists()


def plain_step_refusal(promise: Promise, step: lifecycle.Transition) -> str | None:
    """Why ``step`` cannot be taken as a plain step, or None when it can."""
    if step.target in (S.APPROVED, S.REJECTED):
        return _(
            "Approving or rejecting a promise is the G1 decision: open its G1 review, answer "
            "the checklist, attach the evidence and decide the review."
        )
    if step.target == S.IN_SERVICE and step.source == S.COMMITTED:
        missing = [code for code in ("G2", "G3") if not has_passed(promise, code)]
        return _(
            "A promise goes into service only by passing its G3 review after a passed G2 "
            "review; still missing: %(missing)s."
        ) % {"missing": ", ".join(missing) or _("the G3 decision")}
    if step.target == S.IN_SERVICE:
        return _(
            "A promise stays in service only by passing its G4 review: answer the G4 "
            "checklist, attach the evidence and decide the review."
        )
    if step.target == S.RETIRED and not failed_g4_since_review_began(promise):
        return _(
            "Retiring a promise needs a failed G4 review: decide the G4 review first "
            "(or revise the promise; its successor retires it on going into service)."
        )
    return None


def checklist_blockers(review: GateReview, decision: str) -> list[str]:
    """What keeps ``review`` from being decided as ``decision``.

    Every mandatory criterion answered; "not applicable" with a note; a criterion
    answered "yes" that names its evidence has evidence attached to it; a passing
    decision has at least one piece of evidence.  Uses prefetched ``answers`` (with
    criteria) and ``evidence`` when present.
    """
    evidence = list(review.evidence.all())
    evidenced = {e.criterion_id for e in evidence}
    blockers: list[str] = []
    for a in review.answers.all():
        question = a.criterion.question_text
        if a.criterion.mandatory and a.answer == Answer.OPEN:
            blockers.append(_("Mandatory criterion not answered: %(q)s") % {"q": question})
        elif a.answer == Answer.NOT_APPLICABLE and not a.note.strip():
            blockers.append(_("“Not applicable” needs a note saying why: %(q)s") % {"q": question})
        elif (
            a.answer == Answer.YES
            and a.criterion.required_evidence
            and a.criterion_id not in evidenced
        ):
            blockers.append(
                _("Attach the evidence this criterion asks for (%(e)s): %(q)s")
                % {"e": a.criterion.evidence_text, "q": question}
            )
    if decision != Decision.FAIL and not evidence:
        blockers.append(_("No evidence attached yet."))
    return blockers
