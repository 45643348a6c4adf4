"""Writes of planning: store a promise's feasibility and attach it to its G1 review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import has_capability
from servicegate.planning.feasibility import feasibility_report, report_summary
from servicegate.planning.models import FeasibilityResult
from servicegate.planning.selectors import open_g1_review
from servicegate.promises.gate_services import evidence_add
from servicegate.promises.models import Promise


def feasibility_attach(
    *,
    promise: Promise,
    by: Actor,
    extra_arrivals_per_week: float = 0.0,
    confidence: float = 0.9,
) -> FeasibilityResult:
    """Compute ``promise``'s feasibility, store it, and attach it to the open G1 review.

    Needs ``decide_gate`` or ``plan_capacity``; attaching evidence also needs the
    rights of a G1 reviewer (four eyes: not the maker of the promise). Without an
    open G1 review the result is stored unattached (``review`` is None). Raises
    ``PlanningInputError`` with a sentence when the promise cannot be assessed.
    """
    if not (has_capability(by, "decide_gate") or has_capability(by, "plan_capacity")):
        raise PermissionDenied(
            _("Only a service manager or capacity planner may record a feasibility check.")
        )
    user = as_user(by)
    report = feasibility_report(
        promise, extra_arrivals_per_week=extra_arrivals_per_week, confidence=confidence
    )
    review = open_g1_review(promise)
    with transaction.atomic():
        result = FeasibilityResult.objects.create(
            promise=promise,
            review=review,
            by=user,
            inputs=report.inputs.to_dict(),
            result=report.result_dict(),
            verdict=report.assessment.verdict,
        )
        if review is not None:
            text = (
                report_summary(report)
                + " "
                + _("(Feasibility result #%(pk)d.)") % {"pk": result.pk}
            )
            result.evidence = evidence_add(review=review, by=user, kind="text", text=text)
            result.save(update_fields=["evidence"])
    return result
