"""How an action's KPI is counted over a window: met / not met per clock or ticket.

* Attainment of a promise, product or segment: decided clocks of its promises in the
  window, from measurement's daily summary (``measurement.selectors.summary_rows``), so
  the figures agree with the attainment pages. Days are UTC days of ``decided_at``.
* First-time-fix rate: reactive tickets resolved in the window; met = never reopened.
* Mean time to resolve: reactive tickets resolved in the window; met = resolved within
  the action's target (hours). The mean itself is reported beside the counts.

Tickets are those of the action's promise (a clock of it), else of its customer, else
of its product's or segment's promises' customers, else every reactive ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.improvement.choices import Kpi
from servicegate.measurement.selectors import summary_rows
from servicegate.operations.choices import REACTIVE_KINDS
from servicegate.operations.models import Customer, Ticket
from servicegate.promises.models import Promise

ATTAINMENT_KPIS = frozenset(
    {Kpi.PROMISE_ATTAINMENT, Kpi.PRODUCT_ATTAINMENT, Kpi.SEGMENT_ATTAINMENT}
)


@dataclass(frozen=True)
class KpiSubject:
    """What a KPI is measured on (any may be None) and its target."""

    kpi: str
    promise: Promise | None = None
    product: ServiceProduct | None = None
    segment: Segment | None = None
    customer: Customer | None = None
    target: Decimal | None = None


@dataclass(frozen=True)
class Window:
    """Counts of one window ``[start, end)``."""

    start: datetime
    end: datetime
    n: int
    met: int

    @property
    def rate(self) -> float | None:
        return self.met / self.n if self.n else None


def _promise_ids(subject: KpiSubject) -> list[int] | None:
    """The promises an attainment KPI counts; None: not an attainment KPI."""
    if subject.kpi == Kpi.PROMISE_ATTAINMENT:
        return [subject.promise.pk] if subject.promise else []
    if subject.kpi == Kpi.PRODUCT_ATTAINMENT:
        qs = Promise.objects.filter(product=subject.product)
    elif subject.kpi == Kpi.SEGMENT_ATTAINMENT:
        qs = Promise.objects.filter(segment=subject.segment)
    else:
        return None
    return list(qs.values_list("pk", flat=True))


def _tickets(subject: KpiSubject) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(kind__in=list(REACTIVE_KINDS))
    if subject.promise is not None:
        return tickets.filter(clocks__promise=subject.promise)
    if subject.customer is not None:
        return tickets.filter(customer=subject.customer)
    if subject.product is not None:
        return tickets.filter(clocks__promise__product=subject.product)
    if subject.segment is not None:
        return tickets.filter(customer__segment=subject.segment)
    return tickets


def measure(subject: KpiSubject, start: datetime, end: datetime) -> Window:
    """Met / counted of ``subject``'s KPI in ``[start, end)`` (one or two queries)."""
    ids = _promise_ids(subject)
    if ids is not None:
        agg = (
            summary_rows(promise_ids=ids)
            .filter(day__gte=start.date(), day__lt=end.date())
            .aggregate(n=Sum("n"), met=Sum("met"))
        )
        return Window(start, end, int(agg["n"] or 0), int(agg["met"] or 0))
    resolved = _tickets(subject).filter(resolved_at__gte=start, resolved_at__lt=end).distinct()
    if subject.kpi == Kpi.FIRST_TIME_FIX:
        met_q = Q(reopen_count=0)
    else:
        hours = float(subject.target or 0)
        met_q = Q(resolved_at__lte=F("opened_at") + timedelta(hours=hours))
    agg = resolved.aggregate(
        n=Count("pk", distinct=True), met=Count("pk", filter=met_q, distinct=True)
    )
    return Window(start, end, int(agg["n"] or 0), int(agg["met"] or 0))


def mean_hours_to_resolve(subject: KpiSubject, start: datetime, end: datetime) -> float | None:
    """The mean hours from opening to resolution of the tickets resolved in the window."""
    rows = (
        _tickets(subject)
        .filter(resolved_at__gte=start, resolved_at__lt=end)
        .distinct()
        .values_list("opened_at", "resolved_at")
    )
    spans = [(r - o).total_seconds() / 3600 for o, r in rows if r is not None and o is not None]
    return sum(spans) / len(spans) if spans else None
