"""The G4 review pack: the PDF a G4 meeting works from, in the reader's language.

Promise and terms, the monthly attainment trend with its 95 % Wilson interval (an SVG
chart embedded in the PDF), breaches per cause, the findings and actions with their
effect, and the recommendation. Rendered from ``improvement/review_pack.html`` by
WeasyPrint.
"""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.core.charts import line_chart
from servicegate.improvement.recommendation import recommendation_for
from servicegate.improvement.selectors import ActionFilter, FindingFilter, action_list, finding_list
from servicegate.measurement.selectors import pareto, trend
from servicegate.promises.models import Promise


def _trend_chart(promise: Promise) -> tuple[str, list[Any]]:
    """The monthly attainment chart (as a data URI) and its rows, last 12 months."""
    periods, rows = trend(promises=[promise], period="month")
    points = rows.get(promise.pk, [])[-12:]
    periods = periods[-12:]
    labels = [p.strftime("%Y-%m") for p in periods]
    level = float(promise.attainment_percent)
    series: list[tuple[str, list[float | None]]] = [
        (_("Attainment"), [100 * a.rate if a.rate is not None else None for a in points]),
        (_("lower bound (95 %)"), [100 * a.ci_low if a.n else None for a in points]),
        (_("upper bound (95 %)"), [100 * a.ci_high if a.n else None for a in points]),
        (_("Promised level"), [level for _p in points]),  # a constant line
    ]
    svg = str(
        line_chart(
            _("Attainment per month"),
            labels,
            series,
            percent=True,
            dashed=[_("Promised level")],
        )
    )
    start, end = svg.find("<svg"), svg.rfind("</svg>") + len("</svg>")
    data = base64.b64encode(svg[start:end].encode()).decode()
    return f"data:image/svg+xml;base64,{data}", list(zip(labels, points, strict=True))


def review_pack_context(promise: Promise) -> dict[str, Any]:
    chart, months = _trend_chart(promise)
    return {
        "promise": promise,
        "chart": chart,
        "months": months,
        "causes": pareto(promises=[promise]),
        "findings": list(finding_list(FindingFilter(promise=promise.pk))[:50]),
        "actions": list(action_list(ActionFilter(promise=promise.pk))[:50]),
        "recommendation": recommendation_for(promise),
        "generated_at": timezone.now(),
    }


def review_pack_pdf(promise: Promise) -> bytes:
    """The review pack of ``promise`` as PDF bytes (in the active language)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_to_string("improvement/review_pack.html", review_pack_context(promise))
    return bytes(HTML(string=html).write_pdf())
