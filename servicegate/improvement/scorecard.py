"""The Sales scorecard: per product, segment, customer or promise maker, what was
promised against what was kept.

A row counts the decided clocks of the group's promises in the period (measurement's
daily summary; by customer its monthly summary per customer): ``tickets`` decided
clocks, ``met`` of them met, ``attainment = met / tickets`` (a fraction), the promised
level ``target_percent`` (the promises' attainment levels weighted by their clocks, as
on the attainment pages), ``kept`` whether attainment reached it, and ``trend`` the
attainment of each of the last six months (oldest first, None for a month without
clocks). Two queries per scorecard. By product and by customer a row also carries the
customers' satisfaction with the feedback given in the period (``csat_n`` scores,
``csat_mean`` 1..5, ``csat_satisfied`` the share of 4 and 5; measurement's CSAT hook),
one query more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, DecimalField, F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicegate.measurement.csat import CSAT_GROUPS, CsatScore, csat_by
from servicegate.measurement.models import ClockGroupSummary
from servicegate.measurement.periods import PeriodStart, period_start
from servicegate.measurement.selectors import summary_rows

#: by → (key field, label field) over the summary rows.
GROUPINGS: dict[str, tuple[str, str]] = {
    "product": ("promise__product_id", "promise__product__name"),
    "segment": ("promise__segment_id", "promise__segment__name"),
    "made_by": ("promise__made_by_id", "promise__made_by__username"),
    "customer": ("customer_id", "customer__name"),
}
BY_LABELS = {
    "product": _("Service product"),
    "segment": _("Segment"),
    "made_by": _("Promise maker"),
    "customer": _("Customer"),
}
TREND_MONTHS = 6


@dataclass(frozen=True)
class ScoreRow:
    """One group of the scorecard (see the module docstring)."""

    key: int | None
    label: str
    promises: int
    tickets: int
    met: int
    attainment: float | None
    target_percent: float | None
    kept: bool | None
    trend: list[float | None]
    csat_n: int = 0
    csat_mean: float | None = None
    csat_satisfied: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "promises": self.promises,
            "tickets": self.tickets,
            "met": self.met,
            "attainment": self.attainment,
            "target_percent": self.target_percent,
            "kept": self.kept,
            "trend": self.trend,
            "csat_n": self.csat_n,
            "csat_mean": self.csat_mean,
            "csat_satisfied": self.csat_satisfied,
        }


def _cells(by: str, since: date | None, until: date | None) -> QuerySet[Any]:
    cells: QuerySet[Any]
    if by == "customer":
        cells = ClockGroupSummary.objects.filter(period="month")
        day = "start"
    else:
        cells = summary_rows()
        day = "day"
    if since is not None:
        cells = cells.filter(**{f"{day}__gte": since})
    if until is not None:
        cells = cells.filter(**{f"{day}__lte": until})
    return cells


def _months(until: date) -> list[date]:
    last = period_start(until, "month")
    months = [last]
    for _i in range(TREND_MONTHS - 1):
        prev = months[-1].replace(day=1)
        prev = (
            prev.replace(year=prev.year - 1, month=12)
            if prev.month == 1
            else prev.replace(month=prev.month - 1)
        )
        months.append(prev)
    return list(reversed(months))


def scorecard(
    *, by: str = "product", since: date | None = None, until: date | None = None
) -> list[ScoreRow]:
    """The scorecard rows, worst attainment first (groups without clocks last)."""
    if by not in GROUPINGS:
        raise ValueError(by)
    key, label = GROUPINGS[by]
    cells = _cells(by, since, until)
    totals = cells.values(key, label).annotate(
        total=Sum("n"),
        kept=Sum("met"),
        promises=Count("promise_id", distinct=True),
        weighted=Sum(F("n") * F("promise__attainment_percent"), output_field=DecimalField()),
    )
    months = _months(until or timezone.now().date())
    day = "start" if by == "customer" else "day"
    monthly = (
        _cells(by, months[0], until)
        .annotate(month=PeriodStart(day, "month", of_date=True))
        .values(key, "month")
        .annotate(total=Sum("n"), kept=Sum("met"))
    )
    trend: dict[Any, dict[date, float]] = defaultdict(dict)
    for r in monthly:
        if r["total"]:
            trend[r[key]][r["month"]] = r["kept"] / r["total"]
    csat: dict[int, CsatScore] = csat_by(by, since=since, until=until) if by in CSAT_GROUPS else {}
    rows = []
    for r in totals:
        score = csat.get(r[key]) if r[key] is not None else None
        n, met = int(r["total"] or 0), int(r["kept"] or 0)
        level = float(r["weighted"]) / n if n and r["weighted"] is not None else None
        rate = met / n if n else None
        rows.append(
            ScoreRow(
                key=r[key],
                label=str(r[label] or "–"),
                promises=int(r["promises"]),
                tickets=n,
                met=met,
                attainment=rate,
                target_percent=level,
                kept=None if rate is None or level is None else 100 * rate >= level - 1e-9,
                trend=[trend[r[key]].get(m) for m in months],
                csat_n=score.n if score else 0,
                csat_mean=score.mean if score else None,
                csat_satisfied=score.satisfied if score else None,
            )
        )
    return sorted(rows, key=lambda r: (r.attainment is None, r.attainment or 0.0, r.label))


HEADER = (
    "key",
    "label",
    "promises",
    "tickets",
    "met",
    "attainment",
    "target_percent",
    "kept",
    "csat_n",
    "csat_mean",
    "csat_satisfied",
)


@dataclass(frozen=True)
class DrillRow:
    """One promise of a scorecard group with its attainment and breaches per cause."""

    promise: Any
    attainment: Any
    causes: list[tuple[str, int]]


def drill_down(by: str, key: int) -> list[DrillRow]:
    """The promises behind one scorecard row, worst attainment first."""
    from servicegate.measurement.selectors import pareto, promise_attainment
    from servicegate.promises.models import Promise

    if by == "customer":
        ids = set(
            ClockGroupSummary.objects.filter(customer_id=key).values_list("promise_id", flat=True)
        )
        promises = Promise.objects.filter(pk__in=ids)
    else:
        promises = Promise.objects.filter(**{GROUPINGS[by][0].removeprefix("promise__"): key})
    found = list(promises.select_related("product", "segment")[:100])
    measured = promise_attainment([p.pk for p in found])
    rows = [DrillRow(p, measured.get(p.pk), pareto(promises=[p])) for p in found]
    return sorted(
        rows,
        key=lambda r: (
            r.attainment is None,
            r.attainment.rate if r.attainment and r.attainment.rate is not None else 1.0,
        ),
    )
