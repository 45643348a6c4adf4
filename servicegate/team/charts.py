"""The flow charts as inline SVG: cumulative flow, cycle-time scatter with p50/p85,
weekly throughput. Built from the figures the flow selector computed; no JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

W, H, PAD = 640, 240, 36
#: One colour per board column, from the first to the last (the done column darkest).
PALETTE = ("#c9d6e8", "#7fa7d9", "#f2c14e", "#3b7d4f", "#9b6fb0", "#d9534f")


def _x(i: float, n: float) -> float:
    return PAD + (W - 2 * PAD) * (i / n if n else 0)


def _y(v: float, top: float) -> float:
    return H - PAD - (H - 2 * PAD) * (v / top if top else 0)


def _frame(title: str, body: str, testid: str) -> SafeString:
    axes = (
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#555"/>'
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="#555"/>'
    )
    return format_html(
        '<svg class="team-chart" data-testid="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}" width="100%"><title>{}</title>{}</svg>',
        testid,
        W,
        H,
        title,
        title,
        mark_safe(axes + body),
    )


def cumulative_flow_svg(
    samples: Sequence[datetime], counts: Sequence[Sequence[int]], names: Sequence[str]
) -> SafeString:
    """Stacked areas, the last column at the bottom: the band widths are the cards per
    column over time."""
    n = max(len(samples) - 1, 1)
    totals = [sum(row) for row in counts] or [0]
    top = max(max(totals), 1)
    parts = []
    columns = len(names)
    below = [0] * len(samples)
    for c in reversed(range(columns)):
        above = [below[i] + counts[i][c] for i in range(len(samples))]
        upper = " ".join(f"{_x(i, n):.1f},{_y(v, top):.1f}" for i, v in enumerate(above))
        lower = " ".join(
            f"{_x(i, n):.1f},{_y(below[i], top):.1f}" for i in reversed(range(len(samples)))
        )
        colour = PALETTE[c % len(PALETTE)]
        parts.append(
            f'<polygon points="{upper} {lower}" fill="{colour}" stroke="none">'
            f"<title>{escape(names[c])}</title></polygon>"
        )
        below = above
    legend = "".join(
        f'<rect x="{PAD + 110 * c}" y="6" width="10" height="10" '
        f'fill="{PALETTE[c % len(PALETTE)]}"/>'
        f'<text x="{PAD + 14 + 110 * c}" y="15" font-size="11">{escape(name)}</text>'
        for c, name in enumerate(names)
    )
    ticks = _date_ticks(samples, n)
    return _frame(_("Cumulative flow"), "".join(parts) + legend + ticks, "chart-cfd")


def _date_ticks(samples: Sequence[datetime], n: int) -> str:
    step = max(len(samples) // 6, 1)
    return "".join(
        f'<text x="{_x(i, n):.1f}" y="{H - PAD + 14}" font-size="10" text-anchor="middle">'
        f"{samples[i]:%d.%m.}</text>"
        for i in range(0, len(samples), step)
    )


def cycle_time_svg(
    points: Sequence[tuple[datetime, float]],
    p50: float | None,
    p85: float | None,
    start: datetime,
    end: datetime,
) -> SafeString:
    """One dot per finished card (when it finished, how many days it took) with the
    50th and 85th percentile as horizontal lines."""
    span = max((end - start).total_seconds(), 1.0)
    top = max([d for _t, d in points] + [p85 or 0, 1.0]) * 1.1
    dots = "".join(
        f'<circle cx="{PAD + (W - 2 * PAD) * (t - start).total_seconds() / span:.1f}" '
        f'cy="{_y(d, top):.1f}" r="3" fill="#3b6ea5"><title>{d:.1f}</title></circle>'
        for t, d in points
    )
    lines = ""
    for label, value, colour in (("p50", p50, "#3b7d4f"), ("p85", p85, "#d9534f")):
        if value is not None:
            y = _y(value, top)
            lines += (
                f'<line x1="{PAD}" y1="{y:.1f}" x2="{W - PAD}" y2="{y:.1f}" stroke="{colour}" '
                f'stroke-dasharray="6 3" data-line="{label}"/>'
                f'<text x="{W - PAD - 4}" y="{y - 4:.1f}" font-size="11" fill="{colour}" '
                f'text-anchor="end">'
                f"{label} {value:.1f}</text>"
            )
    unit = escape(_("days"))
    axis = f'<text x="4" y="{PAD - 8}" font-size="11">{unit}</text>' + _value_ticks(top)
    return _frame(_("Cycle time"), dots + lines + axis, "chart-cycle")


def _value_ticks(top: float) -> str:
    return "".join(
        f'<text x="{PAD - 4}" y="{_y(v, top) + 4:.1f}" font-size="10" text-anchor="end">'
        f"{v:.1f}</text>"
        for v in (0, top / 2, top)
    )


def throughput_svg(weeks: Sequence[datetime], done: Sequence[int]) -> SafeString:
    """One bar per week: the cards finished in it."""
    n = max(len(weeks), 1)
    top = max([*done, 1])
    width = (W - 2 * PAD) / n * 0.7
    bars = "".join(
        f'<rect x="{_x(i + 0.15, n):.1f}" y="{_y(v, top):.1f}" width="{width:.1f}" '
        f'height="{_y(0, top) - _y(v, top):.1f}" fill="#7fa7d9"><title>{v}</title></rect>'
        f'<text x="{_x(i + 0.5, n):.1f}" y="{H - PAD + 14}" font-size="10" '
        f'text-anchor="middle">{w:%d.%m.}</text>'
        f'<text x="{_x(i + 0.5, n):.1f}" y="{_y(v, top) - 3:.1f}" font-size="10" '
        f'text-anchor="middle">{v}</text>'
        for i, (w, v) in enumerate(zip(weeks, done, strict=True))
    )
    return _frame(_("Throughput per week"), bars, "chart-throughput")
