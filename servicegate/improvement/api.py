"""REST resources of the KVP register under /api/v1/: findings, actions, their effect.

Writes call the services: a refused role is 403, a skipped PDCA stage 409, bad input
422 with the sentence (``detail``) and the field errors (``errors``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from servicegate.api.fields import IsoDate
from servicegate.api.pagination import Pagination
from servicegate.api.payloads import invalid, resolve
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.core.permissions import require_capability
from servicegate.improvement import services
from servicegate.improvement.errors import StageError
from servicegate.improvement.exports import scorecard_csv, scorecard_xlsx
from servicegate.improvement.models import Action, Finding
from servicegate.improvement.recommendation import recommend
from servicegate.improvement.reviewpack import review_pack_pdf
from servicegate.improvement.scorecard import BY_LABELS, GROUPINGS, ScoreRow, scorecard
from servicegate.improvement.selectors import (
    ActionFilter,
    FindingFilter,
    action_list,
    effect_of,
    finding_list,
)
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.promises.models import Promise

router = Router(tags=["improvement"])

ERRORS = {403: dict[str, Any], 404: dict[str, Any], 409: dict[str, Any], 422: dict[str, Any]}


class FindingOut(Schema):
    id: int
    source: str
    title: str
    description: str
    severity: str
    status: str
    promise: int | None = Field(None, alias="promise_id")
    product: int | None = Field(None, alias="product_id")
    customer: int | None = Field(None, alias="customer_id")
    asset: int | None = Field(None, alias="asset_id")
    ticket: int | None = Field(None, alias="ticket_id")
    cause: str
    period_start: dt.date | None
    breaches: int
    raised_by: str | None
    created_at: dt.datetime
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_raised_by(obj: Finding) -> str | None:
        return obj.raised_by.get_username() if obj.raised_by else None


class FindingIn(Schema):
    source: str
    title: str
    description: str = ""
    severity: str = "medium"
    promise: int | None = None
    product: int | None = None
    customer: int | None = None
    asset: int | None = None
    ticket: int | None = None


class ActionOut(Schema):
    id: int
    finding: int | None = Field(None, alias="finding_id")
    source: str
    title: str
    description: str
    owner: str
    due: dt.date | None
    stage: str
    stage_changed_at: dt.datetime
    kpi: str
    promise: int | None = Field(None, alias="promise_id")
    product: int | None = Field(None, alias="product_id")
    segment: int | None = Field(None, alias="segment_id")
    target: Decimal | None
    window_days: int
    verdict: str
    p_value: float | None

    @staticmethod
    def resolve_owner(obj: Action) -> str:
        return obj.owner.get_username()


class ActionIn(Schema):
    title: str
    owner: int | None = None
    finding: int | None = None
    source: str | None = None
    due: dt.date | None = None
    kpi: str | None = None
    target: Decimal | None = None
    baseline: int | None = None  # days of the baseline window (and the effect window)
    description: str = ""
    promise: int | None = None
    product: int | None = None
    segment: int | None = None
    customer: int | None = None


class TransitionIn(Schema):
    to: str
    note: str = ""


class EffectOut(Schema):
    baseline: dict[str, Any]
    after: dict[str, Any]
    p_value: float | None
    verdict: str | None


_RELATED: dict[str, type[Model]] = {
    "promise": Promise,
    "product": ServiceProduct,
    "segment": Segment,
    "customer": Customer,
    "asset": Asset,
    "ticket": Ticket,
    "finding": Finding,
    "owner": User,
}


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    return resolve(data, _RELATED)


_invalid = invalid


@router.get("/findings/", response=list[FindingOut])
@paginate(Pagination)
def findings(
    request: HttpRequest,
    source: str = "",
    status: str = "",
    severity: str = "",
    promise: int | None = None,
    product: int | None = None,
    customer: int | None = None,
) -> QuerySet[Finding]:
    """Findings, newest first; filter with ?source=, ?status=, ?severity=, ?promise=, …"""
    require_capability(request.user, "view_servicegate")
    return finding_list(
        FindingFilter(
            source=source,
            status=status,
            severity=severity,
            promise=promise,
            product=product,
            customer=customer,
        )
    )


@router.post("/findings/", response={200: FindingOut, 201: FindingOut, **ERRORS})
def finding_create(request: HttpRequest, payload: FindingIn) -> Status[Any]:
    """Raise a finding (technicians and every staff role but viewers). A live finding
    it repeats (same promise, cause and period; or same source, title, promise and
    customer) is returned instead, with 200."""
    require_capability(request.user, "raise_finding")
    try:
        data = _resolve(payload.dict())
        before = Finding.objects.count()
        finding = services.finding_create(by=request.user, **data)
    except ValidationError as exc:
        return _invalid(exc)
    status = 201 if Finding.objects.count() > before else 200
    return Status(status, finding_list().get(pk=finding.pk))


@router.get("/findings/{finding_id}", response={200: FindingOut, **ERRORS})
def finding_detail(request: HttpRequest, finding_id: int) -> Finding:
    """One finding."""
    require_capability(request.user, "view_servicegate")
    return get_object_or_404(finding_list(), pk=finding_id)


@router.get("/actions/", response=list[ActionOut])
@paginate(Pagination)
def actions(
    request: HttpRequest,
    source: str = "",
    stage: str = "",
    promise: int | None = None,
    owner: int | None = None,
    finding: int | None = None,
) -> QuerySet[Action]:
    """Improvement actions; filter with ?source=, ?stage=, ?promise=, ?owner=, ?finding=."""
    require_capability(request.user, "view_servicegate")
    return action_list(
        ActionFilter(source=source, stage=stage, promise=promise, owner=owner, finding=finding)
    )


@router.post("/actions/", response={201: ActionOut, **ERRORS})
def action_create(request: HttpRequest, payload: ActionIn) -> Status[Any]:
    """Open an action in "plan" (KVP leads; anyone who raises findings for an action
    they own), measuring its baseline over ``baseline`` days (default 90)."""
    require_capability(request.user, "raise_finding")
    data = payload.dict()
    data["window_days"] = data.pop("baseline")
    try:
        action = services.action_create(by=request.user, **_resolve(data))
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, action_list().get(pk=action.pk))


@router.get("/actions/{action_id}", response={200: ActionOut, **ERRORS})
def action_detail(request: HttpRequest, action_id: int) -> Action:
    """One action."""
    require_capability(request.user, "view_servicegate")
    return get_object_or_404(action_list(), pk=action_id)


@router.post("/actions/{action_id}/transitions", response={200: ActionOut, **ERRORS})
def action_transition(request: HttpRequest, action_id: int, payload: TransitionIn) -> Status[Any]:
    """Move the action to the next PDCA stage (KVP leads or the owner); 409 for a
    skipped or reversed stage or "act" without a recorded effect."""
    require_capability(request.user, "view_servicegate")
    action = get_object_or_404(Action, pk=action_id)
    try:
        services.action_transition(action=action, to=payload.to, by=request.user, note=payload.note)
    except ValidationError as exc:
        return _invalid(exc)
    except StageError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, action_list().get(pk=action_id))


@router.get("/actions/{action_id}/effect", response={200: EffectOut, **ERRORS})
def action_effect(request: HttpRequest, action_id: int) -> dict[str, Any]:
    """Baseline and after windows (``from``, ``to``, ``n``, ``met``, ``rate``), the
    one-sided Fisher p-value and the verdict (null until measured in "check")."""
    require_capability(request.user, "view_servicegate")
    return effect_of(get_object_or_404(Action, pk=action_id))


class ScoreRowOut(Schema):
    key: int | None
    label: str
    promises: int
    tickets: int
    met: int
    attainment: float | None
    target_percent: float | None
    kept: bool | None
    trend: list[float | None]
    csat_n: int
    csat_mean: float | None
    csat_satisfied: float | None


class ScorecardQuery(Schema):
    by: str = "product"
    since: IsoDate | None = None
    until: IsoDate | None = None

    def rows(self) -> list[ScoreRow]:
        """The scorecard rows; ``ValidationError`` for an unknown grouping."""
        if self.by not in GROUPINGS:
            raise ValidationError(
                {
                    "by": _("Group the scorecard by one of %(values)s.")
                    % {"values": ", ".join(GROUPINGS)}
                }
            )
        return scorecard(by=self.by, since=self.since, until=self.until)


def _download(query: ScorecardQuery, kind: str) -> Any:
    try:
        rows = query.rows()
    except ValidationError as exc:
        return _invalid(exc)
    if kind == "xlsx":
        body: str | bytes = scorecard_xlsx(rows, title=str(BY_LABELS[query.by]))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = scorecard_csv(rows), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="scorecard-{query.by}.{kind}"'
    return response


@router.get("/scorecard", response={200: list[ScoreRowOut], **ERRORS})
def scorecard_rows(request: HttpRequest, query: Query[ScorecardQuery]) -> Status[Any]:
    """Promised versus kept per ``by`` (product, segment, customer, made_by), worst
    first: decided clocks from ``since`` to ``until`` (inclusive days, UTC); the trend is
    the attainment of each of the last six months."""
    require_capability(request.user, "view_servicegate")
    try:
        rows = query.rows()
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, [r.as_dict() for r in rows])


@router.get("/scorecard.xlsx", response={200: None, **ERRORS})
def scorecard_workbook(request: HttpRequest, query: Query[ScorecardQuery]) -> Any:
    """The scorecard as an Excel workbook (header row, one row per key, % formats)."""
    require_capability(request.user, "view_servicegate")
    return _download(query, "xlsx")


@router.get("/scorecard.csv", response={200: None, **ERRORS})
def scorecard_text(request: HttpRequest, query: Query[ScorecardQuery]) -> Any:
    """The scorecard as CSV (attainment and target as fractions)."""
    require_capability(request.user, "view_servicegate")
    return _download(query, "csv")


class RecommendationOut(Schema):
    recommendation: str
    reason: str
    evidence: dict[str, Any]


@router.get("/promises/{promise_id}/recommendation", response={200: RecommendationOut, **ERRORS})
def promise_recommendation(request: HttpRequest, promise_id: int) -> dict[str, Any]:
    """keep | tighten | relax | reprice | add_capacity | change_calendar, the reason and
    the evidence (attainment with its interval, target, breach causes, staffing)."""
    require_capability(request.user, "view_servicegate")
    return recommend(get_object_or_404(Promise, pk=promise_id)).as_dict()


@router.get("/promises/{promise_id}/review-pack.pdf", response={200: None, **ERRORS})
def promise_review_pack(request: HttpRequest, promise_id: int) -> Any:
    """The G4 review pack as PDF, in the reader's language."""
    require_capability(request.user, "view_servicegate")
    promise = get_object_or_404(
        Promise.objects.select_related("product", "segment", "made_by"), pk=promise_id
    )
    response = HttpResponse(review_pack_pdf(promise), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="review-pack-{promise.pk}.pdf"'
    return response
