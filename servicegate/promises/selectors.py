"""Reads of promises and gates: filtered lists, the gate board, the audit timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.promises.choices import AuditAction, Decision, PromiseState
from servicegate.promises.gate_rules import checklist_blockers
from servicegate.promises.models import (
    AuditEntry,
    CriterionAnswer,
    Evidence,
    GateDefinition,
    GateReview,
    Promise,
)


@dataclass(frozen=True)
class PromiseFilter:
    """Filters of the promise list; empty values do not filter."""

    state: str = ""
    product: int | None = None
    segment: int | None = None
    customer: int | None = None
    made_by: int | None = None


def promise_list(flt: PromiseFilter | None = None) -> QuerySet[Promise]:
    """Promises matching ``flt`` with everything a list row shows loaded in one query."""
    flt = flt or PromiseFilter()
    qs = Promise.objects.select_related(
        "product", "segment", "calendar", "made_by", "customer", "contract"
    )
    if flt.state:
        qs = qs.filter(state=flt.state)
    if flt.product:
        qs = qs.filter(product_id=flt.product)
    if flt.segment:
        qs = qs.filter(segment_id=flt.segment)
    if flt.customer:
        qs = qs.filter(customer_id=flt.customer)
    if flt.made_by:
        qs = qs.filter(made_by_id=flt.made_by)
    return qs.order_by("-updated_at", "-pk")


def reviews_with_checklists(qs: QuerySet[GateReview]) -> QuerySet[GateReview]:
    """``qs`` with gate, reviewer, answers (with criteria) and evidence loaded."""
    return qs.select_related("gate", "reviewer", "promise", "contract").prefetch_related(
        Prefetch("answers", queryset=CriterionAnswer.objects.select_related("criterion")),
        # the stored feasibility numbers behind generated evidence (rendered when shown)
        Prefetch(
            "evidence", queryset=Evidence.objects.select_related("feasibility_result", "criterion")
        ),
    )


def reviews_of_promise(promise: Promise) -> QuerySet[GateReview]:
    """Every review of ``promise`` with its checklist and evidence."""
    return reviews_with_checklists(GateReview.objects.filter(promise=promise))


def history(obj: Promise | GateDefinition | GateReview) -> QuerySet[AuditEntry]:
    """The audit entries about ``obj``, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("user")


def promise_history(promise: Promise) -> QuerySet[AuditEntry]:
    """Entries about the promise and about its reviews, newest first."""
    review_ids = list(promise.reviews.values_list("pk", flat=True))
    return (
        AuditEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Promise), object_id=promise.pk)
            | Q(
                content_type=ContentType.objects.get_for_model(GateReview),
                object_id__in=review_ids,
            )
        )
        .select_related("user", "content_type")
        .order_by("-at", "-pk")
    )


@dataclass
class BoardCard:
    """One promise on the gate board, with its age in stage and blockers."""

    promise: Promise
    age: dt.timedelta
    open_review: GateReview | None
    blockers: list[str] = field(default_factory=list)

    @property
    def age_days(self) -> int:
        return self.age.days


@dataclass
class BoardColumn:
    """One lifecycle state with the promises in it."""

    state: str
    label: str
    cards: list[BoardCard]


BOARD_STATES = [s for s in PromiseState if s != PromiseState.RETIRED]


def gate_board(now: dt.datetime | None = None) -> list[BoardColumn]:
    """The gate board: one column per active state, cards oldest in stage first (the
    time in stage from the history, see ``stage_entered``)."""
    now = now or timezone.now()
    open_reviews = Prefetch(
        "reviews",
        queryset=reviews_with_checklists(GateReview.objects.filter(decision=Decision.OPEN)),
        to_attr="open_reviews",
    )
    promises = list(
        Promise.objects.exclude(state=PromiseState.RETIRED)
        .select_related("product", "segment", "made_by", "customer")
        .prefetch_related(open_reviews)
        .order_by("state_changed_at")
    )
    columns = {s.value: BoardColumn(s.value, str(s.label), []) for s in BOARD_STATES}
    entered = stage_entered(promises)
    for promise in promises:
        reviews: list[GateReview] = getattr(promise, "open_reviews", [])
        review = reviews[0] if reviews else None
        if review is not None:
            blockers = review_blockers(review)
        elif promise.state in (PromiseState.FEASIBILITY_REVIEW, PromiseState.UNDER_REVIEW):
            blockers = [str(_("No gate review opened yet."))]
        else:
            blockers = []
        columns[promise.state].cards.append(
            BoardCard(promise, now - entered[promise.pk], review, blockers)
        )
    return list(columns.values())


def stage_entered(promises: Sequence[Promise]) -> dict[int, dt.datetime]:
    """When each promise entered its current state, from its history (one query): the
    latest transition into that state, else its creation (a draft never moved)."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Promise),
        object_id__in=[p.pk for p in promises],
        action=AuditAction.TRANSITION,
    ).order_by("at", "pk")
    states = {p.pk: p.state for p in promises}
    entered = {p.pk: p.created_at for p in promises}
    for pk, at, changes in entries.values_list("object_id", "at", "changes"):
        state = (changes or {}).get("state")
        if isinstance(state, list) and len(state) == 2 and state[1] == states[pk]:
            entered[pk] = at
    return entered


def gates_with_criteria() -> QuerySet[GateDefinition]:
    """All gate definitions with their criteria."""
    return GateDefinition.objects.prefetch_related("criteria")


def review_blockers(review: GateReview) -> list[str]:
    """What keeps ``review`` from passing (see ``gate_rules.checklist_blockers``).

    Uses prefetched ``answers`` (with criteria) and ``evidence`` when present.
    """
    return checklist_blockers(review, Decision.PASS)
