"""The feasibility panel's figures are written in the reader's number format."""

from __future__ import annotations

from django.utils import translation

from servicegate.planning.panel import panel_figures

RESULT = {
    "verdict": "green",
    "probability_met": 1.0,
    "confidence": 0.9,
    "agents": 12,
    "staffing_needed": 4,
    "occupancy": 0.107,
    "history_attainment": 0.968,
    "history_ci95": [0.95, 0.98],
    "history_tickets": 382,
    "history_status": "supports",
    "expected_tickets": 71.0,
}
INPUTS = {"arrivals_per_week": 16.5, "aht_seconds": 11484.0, "open_hours_per_week": 41.0}


def test_german_panel_uses_decimal_commas() -> None:
    with translation.override("de"):
        figures = panel_figures(RESULT, INPUTS)
    assert figures.probability_met == "100,0 %"
    assert figures.confidence == "90,0 %"
    assert figures.occupancy == "10,7 %"
    assert figures.history_ci == "95,0 % – 98,0 %"
    assert (figures.arrivals_per_week, figures.aht_hours) == ("16,5", "3,19")
    assert figures.open_hours_per_week == "41,0"
    assert any("100 %" in line for line in figures.reasons)  # the sentences too


def test_english_panel_uses_decimal_points() -> None:
    with translation.override("en"):
        figures = panel_figures(RESULT, INPUTS)
    assert (figures.probability_met, figures.occupancy) == ("100.0 %", "10.7 %")
    assert figures.arrivals_per_week == "16.5"
