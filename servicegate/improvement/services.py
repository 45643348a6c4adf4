"""Writes of the KVP register: raise findings, open actions, move them through PDCA.

Every function is keyword-only, takes ``by`` (a ``core.actors.Actor``), checks the
capability first and runs in one transaction: a refused write leaves nothing behind.

Duplicates: ``finding_create`` returns the existing *live* (open or in action) finding
instead of raising a second one when it has the same promise, breach cause and period,
or the same source, title, promise and customer. Callers that feed findings
(retrospectives, portal feedback) can therefore send the same finding twice safely;
compare ``finding.raised_by`` / ``created_at`` to tell a new one from an existing one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import has_capability, require_capability
from servicegate.engines.effect import effect_test
from servicegate.improvement.choices import (
    STAGE_ORDER,
    FindingSource,
    FindingStatus,
    Kpi,
    Severity,
    Stage,
)
from servicegate.improvement.errors import StageError
from servicegate.improvement.kpis import KpiSubject, measure
from servicegate.improvement.models import Action, ActionEvent, Finding
from servicegate.improvement.selectors import (
    can_move_action,
    duplicate_finding,
    month_start,
)
from servicegate.operations.models import Asset, Customer, Ticket
from servicegate.promises.models import Promise

DEFAULT_WINDOW_DAYS = 90


def _check_choice(value: str, allowed: list[str], field: str, sentence: str) -> None:
    if value not in allowed:
        raise ValidationError({field: sentence})


def finding_create(
    *,
    by: Actor,
    source: str,
    title: str,
    description: str = "",
    severity: str = Severity.MEDIUM,
    promise: Promise | None = None,
    product: ServiceProduct | None = None,
    customer: Customer | None = None,
    asset: Asset | None = None,
    ticket: Ticket | None = None,
    cause: str = "",
    period_start: date | None = None,
) -> Finding:
    """Raise a finding; needs ``raise_finding``. Returns the existing live finding on a
    duplicate (see the module docstring). Product, customer and asset are filled in
    from the promise, ticket or asset where not given."""
    require_capability(by, "raise_finding")
    user = as_user(by)
    _check_choice(
        source,
        FindingSource.values,
        "source",
        _("Choose where the finding comes from: %(values)s.")
        % {"values": ", ".join(FindingSource.values)},
    )
    _check_choice(
        severity,
        Severity.values,
        "severity",
        _("Choose a severity: %(values)s.") % {"values": ", ".join(Severity.values)},
    )
    if not title.strip():
        raise ValidationError({"title": _("Give the finding a title that says what was found.")})
    if ticket is not None:
        asset = asset or ticket.asset
        customer = customer or ticket.customer
    if asset is not None and customer is None:
        customer = asset.site.customer
    if promise is not None:
        product = product or promise.product
        customer = customer or promise.customer
    if promise is not None and cause and period_start is None:
        period_start = month_start(timezone.now())
    finding = Finding(
        source=source,
        title=title.strip()[:200],
        description=description,
        severity=severity,
        promise=promise,
        product=product,
        customer=customer,
        asset=asset,
        ticket=ticket,
        cause=cause,
        period_start=period_start,
        raised_by=user,
    )
    with transaction.atomic():
        existing = duplicate_finding(finding)
        if existing is not None:
            return existing
        finding.full_clean()
        finding.save()
    return finding


def finding_close(*, finding: Finding, by: Actor, note: str = "") -> Finding:
    """Close a finding by hand (no action needed, or handled elsewhere); needs
    ``lead_improvement``. Actions still running keep running."""
    require_capability(by, "lead_improvement")
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if finding.status == FindingStatus.CLOSED:
            return finding
        finding.status = FindingStatus.CLOSED
        finding.closed_at = timezone.now()
        if note:
            finding.description = f"{finding.description}\n\n{note}".strip()
        finding.save(update_fields=["status", "closed_at", "description"])
    return finding


def _may_create_action(by: Actor, owner: Any) -> bool:
    if has_capability(by, "lead_improvement"):
        return True
    return has_capability(by, "raise_finding") and getattr(owner, "pk", None) == by.pk


def _parse_target(target: Any) -> Decimal | None:
    if target is None or target == "":
        return None
    try:
        value = Decimal(str(target))
    except InvalidOperation:
        raise ValidationError({"target": _("The target must be a number.")}) from None
    if value < 0:
        raise ValidationError({"target": _("The target cannot be negative.")})
    return value


def _subject(
    kpi: str,
    finding: Finding | None,
    target: Decimal | None,
    promise: Promise | None,
    product: ServiceProduct | None,
    segment: Segment | None,
    customer: Customer | None,
) -> KpiSubject:
    """The KPI's subject: what was given, else what the finding links."""
    if finding is not None:
        promise = promise or finding.promise
        product = product or finding.product
        customer = customer or finding.customer
    if promise is not None:
        product = product or promise.product
        segment = segment or promise.segment
    if product is not None:
        segment = segment or product.segment
    needs: dict[str, tuple[object, str]] = {
        Kpi.PROMISE_ATTAINMENT: (promise, _("Attainment of a promise needs the promise.")),
        Kpi.PRODUCT_ATTAINMENT: (product, _("Attainment of a product needs the product.")),
        Kpi.SEGMENT_ATTAINMENT: (segment, _("Attainment of a segment needs the segment.")),
        Kpi.MEAN_TIME_TO_RESOLVE: (
            target,
            _("The mean time to resolve needs a target in hours (resolved within it = met)."),
        ),
    }
    if kpi in needs and needs[kpi][0] is None:
        raise ValidationError({"kpi": needs[kpi][1]})
    return KpiSubject(kpi, promise, product, segment, customer, target)


def _default_kpi(finding: Finding | None) -> str:
    if finding is not None and finding.promise_id:
        return Kpi.PROMISE_ATTAINMENT
    if finding is not None and finding.product_id:
        return Kpi.PRODUCT_ATTAINMENT
    return ""


def action_create(
    *,
    by: Actor,
    title: str,
    owner: Any,
    due: date | None = None,
    finding: Finding | None = None,
    source: str | None = None,
    kpi: str | None = None,
    target: Any = None,
    description: str = "",
    promise: Promise | None = None,
    product: ServiceProduct | None = None,
    segment: Segment | None = None,
    customer: Customer | None = None,
    window_days: int | None = None,
    now: datetime | None = None,
) -> Action:
    """Open an improvement action in "plan" and measure its baseline.

    Needs ``lead_improvement``, or ``raise_finding`` for an action one owns oneself.
    ``source`` defaults to the finding's; ``kpi`` to the attainment of the finding's
    promise (or product). Only a retrospective action may go without finding and KPI
    (its effect is then described in words at "check"). The baseline counts the KPI
    over the ``window_days`` (default 90) before ``now``.
    """
    if not _may_create_action(by, owner):
        raise PermissionDenied(
            _("Only a KVP lead opens actions for others; you may open actions you own yourself.")
        )
    user = as_user(by)
    now = now or timezone.now()
    if owner is None:
        raise ValidationError({"owner": _("An action needs an owner: choose who carries it.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the action a title that says what will be done.")})
    if finding is not None and finding.status == FindingStatus.CLOSED:
        raise ValidationError(
            {"finding": _("This finding is closed: raise a new finding for new work.")}
        )
    source = source or (finding.source if finding is not None else "")
    _check_choice(
        source,
        FindingSource.values,
        "source",
        _("Say where the action comes from: link a finding or choose a source."),
    )
    kpi = kpi or _default_kpi(finding)
    if not kpi and source != FindingSource.RETROSPECTIVE:
        raise ValidationError(
            {
                "kpi": _("An action needs a KPI to measure its effect: choose one of %(values)s.")
                % {"values": ", ".join(Kpi.values)}
            }
        )
    if kpi:
        _check_choice(
            kpi,
            Kpi.values,
            "kpi",
            _("Choose a KPI from %(values)s.") % {"values": ", ".join(Kpi.values)},
        )
    days = window_days or DEFAULT_WINDOW_DAYS
    if days < 1 or days > 730:
        raise ValidationError(
            {"window_days": _("The measurement window must be between 1 and 730 days.")}
        )
    value = _parse_target(target)
    subject = (
        _subject(kpi, finding, value, promise, product, segment, customer)
        if kpi
        else KpiSubject("", promise, product, segment, customer, value)
    )
    action = Action(
        finding=finding,
        source=source,
        title=title.strip()[:200],
        description=description,
        owner=owner,
        due=due,
        kpi=kpi,
        promise=subject.promise,
        product=subject.product,
        segment=subject.segment,
        customer=subject.customer,
        target=value,
        window_days=days,
        created_by=user,
        created_at=now,
        stage_changed_at=now,
    )
    if kpi:
        base = measure(subject, now - timedelta(days=days), now)
        action.baseline_from, action.baseline_to = base.start, base.end
        action.baseline_n, action.baseline_met = base.n, base.met
    with transaction.atomic():
        action.full_clean()
        action.save()
        ActionEvent.objects.create(action=action, at=now, by=user, to_stage=Stage.PLAN)
        if finding is not None and finding.status == FindingStatus.OPEN:
            Finding.objects.filter(pk=finding.pk).update(status=FindingStatus.IN_ACTION)
            finding.status = FindingStatus.IN_ACTION
    return action


def subject_of(action: Action) -> KpiSubject:
    return KpiSubject(
        action.kpi, action.promise, action.product, action.segment, action.customer, action.target
    )


def _measure_effect(action: Action, now: datetime) -> None:
    """Count the KPI from the start of "do" over the window (up to ``now``) and test it."""
    start = action.after_from or action.stage_changed_at
    end = min(start + timedelta(days=action.window_days), now)
    after = measure(subject_of(action), start, end)
    result = effect_test(
        met_before=action.baseline_met,
        n_before=action.baseline_n,
        met_after=after.met,
        n_after=after.n,
    )
    action.after_from, action.after_to = after.start, after.end
    action.after_n, action.after_met = after.n, after.met
    action.p_value = result.p_value
    action.verdict = result.verdict
    action.effect_measured_at = now


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def _refuse_skip(current: str, to: str) -> None:
    at = STAGE_ORDER.index(current)
    if current == Stage.DONE:
        raise StageError(_("This action is done: open a new action for further work."))
    nxt = STAGE_ORDER[at + 1]
    if to != nxt:
        raise StageError(
            _(
                "PDCA stages cannot be skipped or reversed: from “%(current)s” the next stage "
                "is “%(next)s”, not “%(to)s”."
            )
            % {
                "current": _stage_label(current),
                "next": _stage_label(nxt),
                "to": _stage_label(to),
            }
        )


def action_transition(
    *, action: Action, to: str, by: Actor, note: str = "", now: datetime | None = None
) -> Action:
    """Move ``action`` to the next PDCA stage ``to``; KVP leads or the owner may.

    Entering "do" starts the effect window; entering "check" measures the effect;
    entering "act" needs the effect recorded in "check" (a measured p-value, or for an
    action without KPI a ``note`` saying what was observed). Reaching "done" closes the
    finding when all its actions are done. Raises ``StageError`` (409) for a skipped or
    reversed stage, ``ValidationError`` (422) for an unknown stage.
    """
    if not can_move_action(by, action):
        raise PermissionDenied(_("Only a KVP lead or the action's owner moves an action."))
    user = as_user(by)
    if to not in STAGE_ORDER:
        raise ValidationError(
            {"to": _("Choose a stage from %(values)s.") % {"values": ", ".join(STAGE_ORDER)}}
        )
    now = now or timezone.now()
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        current = action.stage
        _refuse_skip(current, to)
        if to == Stage.DO:
            action.after_from = now
        elif to == Stage.CHECK and action.kpi:
            _measure_effect(action, now)
        elif to == Stage.ACT:
            _require_effect(action, note)
        action.stage = to
        action.stage_changed_at = now
        action.save()
        ActionEvent.objects.create(
            action=action, at=now, by=user, from_stage=current, to_stage=to, note=note
        )
        if to == Stage.DONE and action.finding_id:
            _close_finding_when_done(action.finding_id, now)
        actions_changed([action.pk])
    return action


def actions_changed(ids: list[int]) -> None:
    """Tell the areas that show actions (the team board) which actions changed stage;
    the listeners are the dotted paths in ``SERVICEGATE_ACTIONS_CHANGED``."""
    for path in getattr(settings, "SERVICEGATE_ACTIONS_CHANGED", []):
        import_string(path)(ids)


def _require_effect(action: Action, note: str) -> None:
    if not action.kpi:
        if not (note.strip() or action.effect_note.strip()):
            raise StageError(
                _("Say what effect was observed before moving to “Act”: this action has no KPI.")
            )
        action.effect_note = note.strip() or action.effect_note
        return
    if action.p_value is None:
        raise StageError(
            _(
                "The effect is not recorded: the KPI could not be measured (no clocks or "
                "tickets in the baseline or effect window). Measure it again in “Check” "
                "once there is data."
            )
        )


def _close_finding_when_done(finding_id: int, now: datetime) -> None:
    if not Action.objects.filter(finding_id=finding_id).exclude(stage=Stage.DONE).exists():
        Finding.objects.filter(pk=finding_id).exclude(status=FindingStatus.CLOSED).update(
            status=FindingStatus.CLOSED, closed_at=now
        )


def action_effect_measure(*, action: Action, by: Actor, now: datetime | None = None) -> Action:
    """Measure the effect again (in "check" only: more data may have come in)."""
    if not can_move_action(by, action):
        raise PermissionDenied(_("Only a KVP lead or the action's owner measures an action."))
    user = as_user(by)
    now = now or timezone.now()
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        if action.stage != Stage.CHECK:
            raise StageError(_("The effect is measured in “Check”: move the action there first."))
        if not action.kpi:
            raise ValidationError({"kpi": _("This action has no KPI to measure.")})
        _measure_effect(action, now)
        action.save()
        ActionEvent.objects.create(
            action=action,
            at=now,
            by=user,
            from_stage=Stage.CHECK,
            to_stage=Stage.CHECK,
            note=_("Effect measured again."),
        )
    return action
