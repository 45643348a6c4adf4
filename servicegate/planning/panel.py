"""The figures of the feasibility panel, formatted once from the stored JSON; its
sentences rendered in the reader's language when shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from servicegate.planning.feasibility import number_text, summary_lines

BADGES = {"green": "badge-ok", "amber": "badge-warn", "red": "badge-bad"}


@dataclass(frozen=True)
class PanelFigures:
    """What the panel shows, as display strings in the reader's number format
    (percentages with one decimal)."""

    verdict: str
    badge: str
    probability_met: str
    confidence: str
    agents: int
    technicians: int
    staffing_needed: int | None
    history_attainment: str | None
    history_ci: str | None
    history_tickets: int
    history_status: str
    comparable_promises: int
    arrivals_per_week: str
    extra_per_week: str
    arrivals_source: str
    aht_hours: str
    handling_tickets: int
    open_hours_per_week: str
    occupancy: str
    verdict_cause: str  # "history" when the history alone makes it red, else "capacity"
    reasons: tuple[str, ...]


def _pct(value: float) -> str:
    return f"{number_text(100 * value, 1)} %"


def panel_figures(result: dict[str, Any], inputs: dict[str, Any]) -> PanelFigures:
    """Format ``FeasibilityAssessment.to_dict()`` and ``FeasibilityInputs.to_dict()``."""
    ci = result.get("history_ci95")
    share = result.get("history_attainment")
    return PanelFigures(
        verdict=result["verdict"],
        badge=BADGES.get(result["verdict"], ""),
        probability_met=_pct(result["probability_met"]),
        confidence=_pct(result["confidence"]),
        agents=int(result["agents"]),
        technicians=int(inputs.get("technicians", result["agents"])),
        staffing_needed=result.get("staffing_needed"),
        history_attainment=_pct(share) if share is not None else None,
        history_ci=f"{_pct(ci[0])} – {_pct(ci[1])}" if ci else None,
        history_tickets=int(result.get("history_tickets", 0)),
        history_status=str(result.get("history_status", "none")),
        comparable_promises=int(inputs.get("comparable_promises", 0)),
        arrivals_per_week=number_text(inputs.get("arrivals_per_week", 0.0), 1),
        extra_per_week=number_text(inputs.get("extra_arrivals_per_week", 0.0), 1),
        arrivals_source=str(inputs.get("arrivals_source", "")),
        aht_hours=number_text(inputs.get("aht_seconds", 0.0) / 3600, 2),
        handling_tickets=int(inputs.get("handling_tickets", 0)),
        open_hours_per_week=number_text(inputs.get("open_hours_per_week", 0.0), 1),
        occupancy=_pct(result["occupancy"]),
        verdict_cause="history"
        if result.get("history_status") == "contradicts"
        and result["probability_met"] >= result.get("thresholds", {}).get("red", 0.5)
        else "capacity",
        reasons=tuple(summary_lines(result, inputs)[1:]),
    )
