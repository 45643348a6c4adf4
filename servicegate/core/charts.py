"""Server-rendered SVG charts (pygal), in the house colours, with no script or CDN.

Every chart is returned as inline SVG markup, so it works in a full page and in an
HTMX fragment alike; tooltips come from SVG ``<title>`` elements instead of pygal's
JavaScript (which it would load from a CDN).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
SERIES_COLOURS = ("#0b5cab", "#c62828", "#1a7f37", "#9a6700", "#6f42c1", "#5b6578")

STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d2433",
    foreground_strong="#1d2433",
    foreground_subtle="#5b6578",
    opacity=".85",
    opacity_hover="1",
    colors=SERIES_COLOURS,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    title_font_size=14,
    value_font_size=11,
    tooltip_font_size=11,
)


def _config(title: str, height: int, **extra: object) -> dict[str, object]:
    return {
        "title": title,
        "style": STYLE,
        "height": height,
        "width": 900,
        "js": [],  # no scripts: nothing is fetched at run time
        "disable_xml_declaration": True,
        "explicit_size": False,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "show_minor_x_labels": False,
        "truncate_label": 14,
        "print_values": False,
        "dots_size": 2.5,
        **extra,
    }


def _render(chart: pygal.graph.graph.Graph) -> SafeString:
    # pygal adds an inline configuration script even without its JS; charts need none.
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    return mark_safe(f'<div class="chart" role="img">{svg}</div>')  # our own SVG


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    height: int = 320,
    y_title: str = "",
    percent: bool = False,
    range_: tuple[float, float] | None = None,
    dashed: Sequence[str] = (),
    dots_only: Sequence[str] = (),
) -> SafeString:
    """A line chart of several series over the same x labels (None leaves a gap).

    Series named in ``dashed`` (reference levels) are drawn as dashed lines without dots;
    series named in ``dots_only`` as dots without a line (e.g. an incomplete period,
    which a line would draw as a collapse).
    """
    # Label about a dozen x positions; pygal hides the others (minor labels).
    extra: dict[str, object] = {
        "y_title": y_title,
        "x_label_rotation": 30,
        "x_labels_major_every": max(1, len(labels) // 12),
    }
    if dots_only and labels:
        # the last label names the incomplete period: always shown
        step = int(extra.pop("x_labels_major_every"))  # type: ignore[call-overload]
        extra["x_labels_major"] = [*labels[:-1:step], labels[-1]]
        extra["truncate_label"] = -1
    if percent:
        extra["value_formatter"] = lambda v: f"{number_format(v, 1)} %"
    if range_ is not None:
        extra["range"] = range_
    chart = pygal.Line(**_config(title, height, **extra))
    chart.x_labels = list(labels)
    for name, values in series:
        if name in dashed:
            chart.add(name, list(values), show_dots=False, stroke_style={"dasharray": "6, 4"})
        elif name in dots_only:
            chart.add(name, list(values), stroke=False, dots_size=5)
        else:
            chart.add(name, list(values))
    return _render(chart)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    height: int = 320,
    y_title: str = "",
    horizontal: bool = False,
) -> SafeString:
    """A grouped bar chart (horizontal for long category names, e.g. a Pareto)."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        **_config(title, height, y_title=y_title, x_label_rotation=0 if horizontal else 30)
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart)
