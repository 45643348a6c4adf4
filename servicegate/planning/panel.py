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
    replay: ReplayFigures | None = None


@dataclass(frozen=True)
class ReplayFigures:
    """The history replay of the promise's own terms, for display."""

    start: str
    end: str
    tickets: int
    n: int
    met: int
    rate: str | None
    ci: str | None
    level: str
    status: str
    not_started: int
    periods: tuple[tuple[str, int, int, str | None], ...]  # month, n, met, rate


def replay_figures(replayed: dict[str, Any] | None) -> ReplayFigures | None:
    """Format ``HistoryReplay.to_dict()`` (with its ``status``) for the panel."""
    if not replayed:
        return None
    rate = replayed.get("rate")
    return ReplayFigures(
        start=str(replayed["from"]),
        end=str(replayed["to"]),
        tickets=int(replayed["tickets"]),
        n=int(replayed["n"]),
        met=int(replayed["met"]),
        rate=None if rate is None else _pct(rate),
        ci=None if rate is None else f"{_pct(replayed['ci_low'])} – {_pct(replayed['ci_high'])}",
        level=_pct(replayed["level"]),
        status=str(replayed.get("status", "none")),
        not_started=int(replayed.get("not_started", 0)),
        periods=tuple(
            (
                str(p["period"])[:7],
                int(p["n"]),
                int(p["met"]),
                None if p["rate"] is None else _pct(p["rate"]),
            )
            for p in replayed.get("periods", [])
        ),
    )


def _history_makes_it_red(result: dict[str, Any]) -> bool:
    replayed = result.get("history_replay") or {}
    return "contradicts" in (result.get("history_status"), replayed.get("status"))


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
        if _history_makes_it_red(result)
        and result["probability_met"] >= result.get("thresholds", {}).get("red", 0.5)
        else "capacity",
        reasons=tuple(summary_lines(result, inputs)[1:]),
        replay=replay_figures(result.get("history_replay")),
    )
