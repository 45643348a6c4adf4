"""Reads of the KVP register: lists with filters, duplicates, who may move an action,
an action's effect and what is due for a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from servicegate.core.permissions import has_capability
from servicegate.improvement.choices import LIVE_STATUSES, FindingStatus, Stage
from servicegate.improvement.models import Action, ActionEvent, Finding


def month_start(at: datetime) -> date:
    """The first day of ``at``'s month (UTC): the period of breach findings."""
    return at.astimezone(UTC).date().replace(day=1)


def can_move_action(user: Any, action: Action) -> bool:
    """KVP leads move every action, an owner their own."""
    if has_capability(user, "lead_improvement"):
        return True
    return bool(getattr(user, "is_authenticated", False)) and action.owner_id == user.pk


def duplicate_finding(finding: Finding) -> Finding | None:
    """The live finding that ``finding`` (unsaved) repeats, if any: same promise, cause
    and period (when it has a promise and a cause), or same source, title, promise and
    customer."""
    live = Finding.objects.filter(status__in=LIVE_STATUSES)
    if finding.promise_id and finding.cause:
        same = live.filter(
            promise_id=finding.promise_id, cause=finding.cause, period_start=finding.period_start
        ).first()
        if same is not None:
            return same
    same_title = live.filter(source=finding.source, title__iexact=finding.title)
    same_title = (
        same_title.filter(promise_id=finding.promise_id)
        if finding.promise_id
        else same_title.filter(promise__isnull=True)
    )
    same_title = (
        same_title.filter(customer_id=finding.customer_id)
        if finding.customer_id
        else same_title.filter(customer__isnull=True)
    )
    return same_title.first()


@dataclass(frozen=True)
class FindingFilter:
    """Filters of the findings register; empty values do not filter."""

    source: str = ""
    status: str = ""
    severity: str = ""
    promise: int | None = None
    product: int | None = None
    customer: int | None = None


def finding_list(flt: FindingFilter | None = None) -> QuerySet[Finding]:
    """Findings matching ``flt``, newest first, with links and action counts (one query)."""
    flt = flt or FindingFilter()
    qs = Finding.objects.select_related("promise", "product", "customer", "raised_by").annotate(
        action_count=Count("actions")
    )
    for field in ("source", "status", "severity"):
        if getattr(flt, field):
            qs = qs.filter(**{field: getattr(flt, field)})
    for field in ("promise", "product", "customer"):
        if getattr(flt, field):
            qs = qs.filter(**{f"{field}_id": getattr(flt, field)})
    return qs.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class ActionFilter:
    """Filters of the actions register; empty values do not filter."""

    source: str = ""
    stage: str = ""
    promise: int | None = None
    owner: int | None = None
    finding: int | None = None


def action_list(flt: ActionFilter | None = None) -> QuerySet[Action]:
    """Actions matching ``flt`` with owner, finding and KPI subject (one query)."""
    flt = flt or ActionFilter()
    qs = Action.objects.select_related("owner", "finding__promise", "promise", "product", "segment")
    if flt.source:
        qs = qs.filter(source=flt.source)
    if flt.stage:
        qs = qs.filter(stage=flt.stage)
    if flt.promise:
        qs = qs.filter(promise_id=flt.promise)
    if flt.owner:
        qs = qs.filter(owner_id=flt.owner)
    if flt.finding:
        qs = qs.filter(finding_id=flt.finding)
    return qs.order_by("stage", "due", "-pk")


def action_detail(action_id: int) -> Action | None:
    return (
        Action.objects.select_related(
            "owner", "finding__promise", "promise", "product", "segment", "customer"
        )
        .filter(pk=action_id)
        .first()
    )


def finding_detail(finding_id: int) -> Finding | None:
    return (
        Finding.objects.select_related(
            "promise", "product", "customer", "asset", "ticket", "raised_by"
        )
        .filter(pk=finding_id)
        .first()
    )


def action_history(action: Action) -> QuerySet[ActionEvent]:
    return action.events.select_related("by").order_by("at", "pk")


def _window(start: datetime | None, end: datetime | None, n: int, met: int) -> dict[str, Any]:
    return {
        "from": start,
        "to": end,
        "n": n,
        "met": met,
        "rate": met / n if n else None,
    }


def effect_of(action: Action) -> dict[str, Any]:
    """The effect as the API and the chart show it: both windows, p-value, verdict."""
    return {
        "baseline": _window(
            action.baseline_from, action.baseline_to, action.baseline_n, action.baseline_met
        ),
        "after": _window(action.after_from, action.after_to, action.after_n, action.after_met),
        "p_value": action.p_value,
        "verdict": action.verdict or None,
    }


def actions_due_for(user: Any, today: date | None = None, days: int = 14) -> QuerySet[Action]:
    """The unfinished actions ``user`` owns that are due within ``days`` (or overdue)."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(owner_id=user.pk, due__isnull=False)
        .exclude(stage=Stage.DONE)
        .filter(due__lte=date.fromordinal(today.toordinal() + days))
        .select_related("finding")
        .order_by("due", "pk")
    )


@dataclass(frozen=True)
class RegisterCounts:
    open_findings: int
    findings_in_action: int
    open_actions: int
    overdue_actions: int


def register_counts(today: date | None = None) -> RegisterCounts:
    """Open findings and running actions for the dashboard (two queries)."""
    today = today or timezone.localdate()
    f = Finding.objects.aggregate(
        open=Count("pk", filter=Q(status=FindingStatus.OPEN)),
        in_action=Count("pk", filter=Q(status=FindingStatus.IN_ACTION)),
    )
    a = Action.objects.exclude(stage=Stage.DONE).aggregate(
        running=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today))
    )
    return RegisterCounts(f["open"], f["in_action"], a["running"], a["overdue"])
