"""REST resources of the promises area under /api/v1/: promises, history, gates, reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from servicegate.api.pagination import Pagination
from servicegate.api.payloads import invalid, resolve
from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.core.permissions import require_capability
from servicegate.core.promise_figures import promise_attainment
from servicegate.operations.models import Customer
from servicegate.promises import revision, services
from servicegate.promises.models import AuditEntry, Contract, GateDefinition, GateReview, Promise
from servicegate.promises.selectors import (
    PromiseFilter,
    gates_with_criteria,
    history,
    promise_list,
    reviews_of_promise,
)

router = Router(tags=["promises"])

ERRORS = {403: dict[str, Any], 404: dict[str, Any], 409: dict[str, Any], 422: dict[str, Any]}


class PromiseOut(Schema):
    id: int
    title: str
    statement: str
    state: str
    metric: str
    custom_metric: str
    target_value: Decimal
    target_unit: str
    attainment_percent: Decimal
    product: int
    segment: int
    calendar: int
    priority: str
    customer: int | None
    contract: int | None
    made_by: str
    made_by_role: str
    source: str
    source_reference: str
    valid_from: dt.date
    valid_to: dt.date | None
    clock_start_statuses: list[str]
    clock_pause_statuses: list[str]
    clock_stop_statuses: list[str]
    reopen_behaviour: str
    warning_percent: int
    counter_proposal: str
    replaces: int | None
    state_changed_at: dt.datetime
    version: int

    @staticmethod
    def resolve_product(obj: Promise) -> int:
        return obj.product_id

    @staticmethod
    def resolve_segment(obj: Promise) -> int:
        return obj.segment_id

    @staticmethod
    def resolve_calendar(obj: Promise) -> int:
        return obj.calendar_id

    @staticmethod
    def resolve_customer(obj: Promise) -> int | None:
        return obj.customer_id

    @staticmethod
    def resolve_contract(obj: Promise) -> int | None:
        return obj.contract_id

    @staticmethod
    def resolve_replaces(obj: Promise) -> int | None:
        return obj.replaces_id

    @staticmethod
    def resolve_made_by(obj: Promise) -> str:
        return obj.made_by.get_username()


class AttainmentOut(Schema):
    """Measured attainment over all clocks (a promise's; each row of ``/attainment``):
    decided clocks (``n``) and met, the rate with its 95 % Wilson interval, the promised
    level and whether it is kept, the clocks that never started, the tickets in scope
    and the decided share of them (``coverage``)."""

    n: int
    met: int
    rate: float | None
    ci_low: float
    ci_high: float
    level: float | None
    kept: bool | None
    not_started: int | None
    in_scope: int | None
    coverage: float | None


class PromiseDetailOut(PromiseOut):
    attainment: AttainmentOut | None

    @staticmethod
    def resolve_attainment(obj: Promise) -> Any:
        return promise_attainment([obj.pk]).get(obj.pk)


class PromiseIn(Schema):
    title: str = ""
    metric: str
    custom_metric: str = ""
    target_value: Decimal
    target_unit: str
    attainment_percent: Decimal
    product: int
    segment: int | None = None
    calendar: int
    priority: str = ""
    customer: int | None = None
    contract: int | None = None
    made_by_role: str
    source: str
    source_reference: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    clock_start_statuses: list[str] | None = None
    clock_pause_statuses: list[str] | None = None
    clock_stop_statuses: list[str] | None = None
    reopen_behaviour: str | None = None
    warning_percent: int | None = None


class PromisePatch(Schema):
    version: int
    title: str | None = None
    metric: str | None = None
    custom_metric: str | None = None
    target_value: Decimal | None = None
    target_unit: str | None = None
    attainment_percent: Decimal | None = None
    product: int | None = None
    segment: int | None = None
    calendar: int | None = None
    priority: str | None = None
    customer: int | None = None
    contract: int | None = None
    made_by_role: str | None = None
    source: str | None = None
    source_reference: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    clock_start_statuses: list[str] | None = None
    clock_pause_statuses: list[str] | None = None
    clock_stop_statuses: list[str] | None = None
    reopen_behaviour: str | None = None
    warning_percent: int | None = None


class TransitionIn(Schema):
    to: str
    comment: str = ""
    counter_proposal: str | None = None
    version: int | None = None


class AuditOut(Schema):
    id: int
    user: str | None
    at: dt.datetime
    action: str
    changes: dict[str, Any]
    comment: str

    @staticmethod
    def resolve_user(obj: AuditEntry) -> str | None:
        return obj.user.get_username() if obj.user else None


class CriterionOut(Schema):
    id: int
    order: int
    question: str
    required_evidence: str
    mandatory: bool
    is_active: bool


class GateOut(Schema):
    id: int
    order: int
    code: str
    name: str
    description: str
    from_department: str
    to_department: str
    owner_role: str
    is_active: bool
    version: int
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(obj: GateDefinition) -> list[Any]:
        return list(obj.criteria.all())


class AnswerOut(Schema):
    criterion: int
    question: str
    mandatory: bool
    answer: str
    note: str


class ReviewOut(Schema):
    id: int
    gate: str
    promise: int | None
    reviewer: str | None
    decision: str
    comments: str
    conditions: str
    counter_proposal: str
    override_reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    answers: list[AnswerOut]
    evidence: list[str]

    @staticmethod
    def resolve_gate(obj: GateReview) -> str:
        return obj.gate.code

    @staticmethod
    def resolve_promise(obj: GateReview) -> int | None:
        return obj.promise_id

    @staticmethod
    def resolve_reviewer(obj: GateReview) -> str | None:
        return obj.reviewer.get_username() if obj.reviewer else None

    @staticmethod
    def resolve_answers(obj: GateReview) -> list[dict[str, Any]]:
        return [
            {
                "criterion": a.criterion_id,
                "question": a.criterion.question,
                "mandatory": a.criterion.mandatory,
                "answer": a.answer,
                "note": a.note,
            }
            for a in obj.answers.all()
        ]

    @staticmethod
    def resolve_evidence(obj: GateReview) -> list[str]:
        return [str(e) for e in obj.evidence.all()]


class ReviewIn(Schema):
    """Open a review; optionally answer (``answers``/``notes`` by criterion id), attach
    evidence (``evidence`` by criterion id, or general text/link) and decide at once."""

    gate: str
    answers: dict[int, str] = {}
    notes: dict[int, str] = {}
    evidence: dict[int, str] = {}
    evidence_text: str = ""
    evidence_url: str = ""
    decision: str = ""
    comments: str = ""
    conditions: str = ""
    counter_proposal: str = ""
    override_reason: str = ""
    version: int | None = None


_invalid = invalid


_RELATED = {
    "product": ServiceProduct,
    "segment": Segment,
    "calendar": BusinessCalendar,
    "customer": Customer,
    "contract": Contract,
}


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the ids of related objects into objects; unknown ids are field errors."""
    return resolve(data, _RELATED)


@router.get("/promises/", response=list[PromiseOut])
@paginate(Pagination)
def promises(
    request: HttpRequest, state: str = "", product: int | None = None, segment: int | None = None
) -> QuerySet[Promise]:
    """Promises, newest change first; filter with ?state=, ?product=, ?segment=."""
    require_capability(request.user, "view_servicegate")
    return promise_list(PromiseFilter(state=state, product=product, segment=segment))


@router.post("/promises/", response={201: PromiseOut, **ERRORS})
def promise_create(request: HttpRequest, payload: PromiseIn) -> Status[Any]:
    """Propose a new draft promise (sales, marketing, pre-sales)."""
    require_capability(request.user, "propose_promise")
    data = {k: v for k, v in payload.dict().items() if v is not None}
    try:
        promise = services.promise_create(by=request.user, **_resolve(data))
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, promise_list().get(pk=promise.pk))


@router.get("/promises/{promise_id}", response={200: PromiseDetailOut, **ERRORS})
def promise_detail(request: HttpRequest, promise_id: int) -> Promise:
    """One promise, with its measured attainment (null while it has no clocks): the
    figures of ``/attainment?promise={id}``."""
    require_capability(request.user, "view_servicegate")
    return get_object_or_404(promise_list(), pk=promise_id)


@router.patch("/promises/{promise_id}", response={200: PromiseOut, **ERRORS})
def promise_patch(request: HttpRequest, promise_id: int, payload: PromisePatch) -> Status[Any]:
    """Change a draft or rejected promise; send the ``version`` you read (409 if stale)."""
    require_capability(request.user, "propose_promise")
    promise = get_object_or_404(Promise, pk=promise_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        services.promise_update(promise=promise, by=request.user, version=version, **_resolve(data))
    except ValidationError as exc:
        return _invalid(exc)
    except (services.ConcurrentEditError, services.TransitionError) as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, promise_list().get(pk=promise_id))


@router.post("/promises/{promise_id}/transitions", response={200: PromiseOut, **ERRORS})
def promise_transition(request: HttpRequest, promise_id: int, payload: TransitionIn) -> Status[Any]:
    """Move the promise to another state; 403 if your role may not, 409 if not allowed now."""
    require_capability(request.user, "view_servicegate")
    promise = get_object_or_404(Promise, pk=promise_id)
    try:
        services.promise_transition(
            promise=promise,
            to=payload.to,
            by=request.user,
            comment=payload.comment,
            counter_proposal=payload.counter_proposal,
            version=payload.version,
        )
    except (services.TransitionError, services.ConcurrentEditError) as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, promise_list().get(pk=promise_id))


@router.post("/promises/{promise_id}/revise", response={201: PromiseOut, **ERRORS})
def promise_revise(request: HttpRequest, promise_id: int) -> Status[Any]:
    """Start a successor draft of a promise in service (sales); it replaces the original
    once it passes the gates and goes into service. 409 if the promise is not live."""
    require_capability(request.user, "propose_promise")
    promise = get_object_or_404(Promise, pk=promise_id)
    try:
        successor = revision.promise_revise(promise=promise, by=request.user)
    except services.TransitionError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, promise_list().get(pk=successor.pk))


@router.get("/promises/{promise_id}/history", response=list[AuditOut])
@paginate(Pagination)
def promise_history(request: HttpRequest, promise_id: int) -> QuerySet[AuditEntry]:
    """The audit trail of the promise: who changed what, when, from which value to which."""
    require_capability(request.user, "view_servicegate")
    return history(get_object_or_404(Promise, pk=promise_id))


@router.get("/promises/{promise_id}/reviews", response=list[ReviewOut])
@paginate(Pagination)
def promise_reviews(request: HttpRequest, promise_id: int) -> QuerySet[GateReview]:
    """The gate reviews of the promise with their checklists."""
    require_capability(request.user, "view_servicegate")
    return reviews_of_promise(get_object_or_404(Promise, pk=promise_id))


@router.post("/promises/{promise_id}/reviews", response={201: ReviewOut, **ERRORS})
def promise_review_create(request: HttpRequest, promise_id: int, payload: ReviewIn) -> Status[Any]:
    """Open a review at a gate; optionally answer, add evidence and decide at once.

    All or nothing: a refused decision (422: checklist, evidence or override reason
    missing; 409: gate order or stale ``version``) leaves no review behind.
    """
    require_capability(request.user, "view_servicegate")
    promise = get_object_or_404(Promise, pk=promise_id)
    gate = GateDefinition.objects.filter(code=payload.gate, is_active=True).first()
    if gate is None:
        return Status(
            422,
            {
                "detail": _("There is no active gate with that code; use G1, G2, G3 or G4."),
                "errors": {"gate": []},
            },
        )
    try:
        with transaction.atomic():
            review = services.gate_review_open(gate=gate, promise=promise, by=request.user)
            _fill_review(request, review, payload)
    except ValidationError as exc:
        return _invalid(exc)
    except (services.TransitionError, services.ConcurrentEditError) as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, reviews_of_promise(promise).get(pk=review.pk))


def _fill_review(request: HttpRequest, review: GateReview, payload: ReviewIn) -> None:
    if payload.answers:
        answers = {k: (v, payload.notes.get(k, "")) for k, v in payload.answers.items()}
        services.gate_review_answer(review=review, by=request.user, answers=answers)
    criteria = {c.pk: c for c in review.gate.criteria.all()}
    for criterion_id, text in payload.evidence.items():
        if criterion_id not in criteria:
            raise ValidationError({"evidence": _("That criterion does not belong to this review.")})
        services.evidence_add(
            review=review, by=request.user, kind="text", text=text, criterion=criteria[criterion_id]
        )
    if payload.evidence_text:
        services.evidence_add(
            review=review, by=request.user, kind="text", text=payload.evidence_text
        )
    if payload.evidence_url:
        services.evidence_add(review=review, by=request.user, kind="link", url=payload.evidence_url)
    if payload.decision:
        services.gate_review_decide(
            review=review,
            decision=payload.decision,
            by=request.user,
            comments=payload.comments,
            conditions=payload.conditions,
            counter_proposal=payload.counter_proposal,
            override_reason=payload.override_reason,
            version=payload.version,
        )


@router.get("/gates/", response=list[GateOut])
@paginate(Pagination)
def gates(request: HttpRequest) -> QuerySet[GateDefinition]:
    """The quality gate definitions with their checklist criteria."""
    require_capability(request.user, "view_servicegate")
    return gates_with_criteria()
