"""Charts are inline SVG with the data in them and nothing fetched from elsewhere."""

from __future__ import annotations

import re

from servicegate.core.charts import bar_chart, line_chart


def test_line_chart_is_inline_svg_without_scripts() -> None:
    svg = line_chart("Attainment", ["W1", "W2"], [("kept", [91.0, 97.5]), ("promised", [95, 95])])
    assert svg.startswith('<div class="chart"')
    assert "<svg" in svg and "<script" not in svg
    assert "Attainment" in svg and "kept" in svg and "W2" in svg
    external = {u for u in re.findall(r'(?:href|src)="(https?://[^"]+)"', svg)}
    assert external == set()


def test_bar_chart_lists_every_category() -> None:
    svg = bar_chart(
        "Breaches by cause", ["waiting", "reassigned"], [("n", [12, 5])], horizontal=True
    )
    assert "waiting" in svg and "reassigned" in svg
