"""A whole gate review in one call: open, answer, attach evidence, decide.

For the demo organisation and for setting up a promise's state in tests, where every
step must still pass through the gates exactly as a reviewer's would.
"""

from __future__ import annotations

from typing import Any

from servicegate.core.actors import Actor
from servicegate.promises.choices import Answer, Decision
from servicegate.promises.gate_services import (
    evidence_add,
    gate_review_answer,
    gate_review_decide,
    gate_review_open,
)
from servicegate.promises.models import GateDefinition, GateReview, Promise


def review_through(
    promise: Promise,
    code: str,
    *,
    by: Actor,
    decision: str = Decision.PASS,
    evidence: str = "Checked.",
    **decide: Any,
) -> GateReview:
    """Review ``promise`` at gate ``code``: every criterion "yes" (or "no" when failing)
    with the evidence it asks for, then decide; returns the decided review."""
    gate = GateDefinition.objects.get(code=code)
    review = GateReview.objects.filter(promise=promise, gate=gate, decision=Decision.OPEN).first()
    if review is None:
        review = gate_review_open(gate=gate, promise=promise, by=by)
    answer = Answer.NO if decision == Decision.FAIL else Answer.YES
    rows = list(review.answers.select_related("criterion"))
    gate_review_answer(review=review, by=by, answers={a.criterion_id: (answer, "") for a in rows})
    for a in rows:
        if answer == Answer.YES and a.criterion.required_evidence:
            # the page names the criterion's evidence in the reader's language
            evidence_add(review=review, by=by, kind="text", text=evidence, criterion=a.criterion)
    if not rows or answer == Answer.NO:
        evidence_add(review=review, by=by, kind="text", text=evidence)
    return gate_review_decide(review=review, decision=decision, by=by, **decide)
