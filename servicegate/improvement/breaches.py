"""Breach findings, raised automatically: when one breach cause of a promise reaches
``SERVICEGATE_BREACH_FINDING_THRESHOLD`` breaches (default 5) in a calendar month (UTC),
a finding of source "breach" is raised for that promise, cause and month.

No duplicates and no flood: the constraint ``unique_breach_finding`` keeps one finding
per promise, cause and month (a second worker's insert fails and is skipped, a closed
finding is not raised again that month), an existing finding only has its breach count
brought up to date, and one run raises at most ``SERVICEGATE_BREACH_FINDINGS_PER_RUN``
(default 20) findings, the most breaches first. The count comes from measurement's
daily summary (one query); ``breach_findings_task`` runs it every minute
(``SERVICEGATE_PERIODIC_TASKS``).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from servicegate.improvement.choices import FindingSource, Severity
from servicegate.improvement.models import Finding
from servicegate.improvement.selectors import month_start
from servicegate.improvement.texts import breach_title, cause_label
from servicegate.measurement.selectors import summary_rows
from servicegate.promises.models import Promise


def threshold() -> int:
    return int(getattr(settings, "SERVICEGATE_BREACH_FINDING_THRESHOLD", 5))


def per_run() -> int:
    return int(getattr(settings, "SERVICEGATE_BREACH_FINDINGS_PER_RUN", 20))


def _severity(breaches: int, limit: int) -> str:
    if breaches >= 4 * limit:
        return Severity.CRITICAL
    if breaches >= 2 * limit:
        return Severity.HIGH
    return Severity.MEDIUM


def breach_counts(period: datetime) -> dict[tuple[int, str], int]:
    """(promise id, cause) → breaches decided in ``period``'s month (one query)."""
    start = month_start(period)
    end = start.replace(year=start.year + (start.month == 12), month=start.month % 12 + 1)
    rows = (
        summary_rows()
        .filter(day__gte=start, day__lt=end)
        .exclude(cause="")
        .values("promise_id", "cause")
        .annotate(breaches=Sum(F("n") - F("met")))
    )
    return {(r["promise_id"], r["cause"]): int(r["breaches"] or 0) for r in rows}


def breach_findings_raise(*, now: datetime | None = None) -> list[Finding]:
    """Raise the breach findings of ``now``'s month that are due; the new ones."""
    now = now or timezone.now()
    period = month_start(now)
    limit = threshold()
    counts = {k: v for k, v in breach_counts(now).items() if v >= limit}
    if not counts:
        return []
    existing = {
        (f.promise_id, f.cause): f
        for f in Finding.objects.filter(source=FindingSource.BREACH, period_start=period)
    }
    for key, finding in existing.items():
        if key in counts and finding.breaches != counts[key]:
            Finding.objects.filter(pk=finding.pk).update(breaches=counts[key])
    due = sorted((k for k in counts if k not in existing), key=lambda k: -counts[k])[: per_run()]
    promises = Promise.objects.select_related("product", "customer").in_bulk([p for p, _c in due])
    created: list[Finding] = []
    for promise_id, cause in due:
        promise = promises.get(promise_id)
        if promise is None:
            continue
        new = _raise_one(promise, cause, counts[(promise_id, cause)], limit, now)
        if new is not None:
            created.append(new)
    return created


def _raise_one(
    promise: Promise, cause: str, breaches: int, limit: int, now: datetime
) -> Finding | None:
    period = month_start(now)
    title = breach_title(promise, cause, breaches, period)
    description = _(
        "Raised automatically: %(count)s breaches with the main cause “%(cause)s” "
        "reached the threshold of %(limit)s breaches per month."
    ) % {"count": breaches, "cause": cause_label(cause), "limit": limit}
    try:
        with transaction.atomic():
            return Finding.objects.create(
                source=FindingSource.BREACH,
                title=title[:200],
                description=description,
                severity=_severity(breaches, limit),
                promise=promise,
                product=promise.product,
                customer=promise.customer,
                cause=cause,
                period_start=period,
                breaches=breaches,
                created_at=now,
            )
    except IntegrityError:  # another worker raised it in the meantime
        return None


@task()
def breach_findings_task() -> None:
    """The minute's check (see the module docstring)."""
    breach_findings_raise()
