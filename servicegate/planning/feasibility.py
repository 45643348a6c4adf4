"""Gate 1 feasibility of a stored promise: gather the inputs from the database, assess.

Inputs (see ``docs/planning.md`` for the engine):

* **arrivals per week** — the reactive tickets in the promise's scope (segment,
  priority, customer; tickets carry no product): the mean of a 28-day forecast
  when there are at least 28 days of history, else the rate of the last 8 weeks
  of tickets; plus the extra volume the caller expects.
* **handling time** — mean business time from response to resolution of the
  scope's resolved tickets of the last year over the promise's calendar, slowest
  tenth left out; :data:`DEFAULT_AHT_SECONDS` with fewer than 20 tickets.
* **agents** — active technicians, pro rata to their calendars' open hours
  against the promise's (``TeamStaffing``). The whole team is taken to be
  available to the promise's tickets, so a team that also carries other work
  reads optimistic.
* **period** — the promise is measured over :data:`PERIOD_DAYS` days.
* **history** — tickets of comparable promises (same metric and priority, in
  service or under review), met or not within their own target and calendar.
* **history replay** — the promise's own proposed terms replayed over the tickets of
  its scope in the last 365 days (``measurement.replay``): the share it would have
  kept, with its Wilson interval. It weighs on the verdict like the history: when even
  the interval's upper bound is below the promised level it *contradicts* the promise
  and the verdict is red; when the level lies inside the interval it is *uncertain*
  and a green verdict becomes amber.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from numpy.typing import NDArray

from servicegate.engines.feasibility import FeasibilityAssessment, PromiseProposal, assess_promise
from servicegate.engines.queueing import PlanningInputError
from servicegate.measurement.choices import Period
from servicegate.measurement.replay import ReplayError, history_replay
from servicegate.planning.selectors import (
    MIN_BACKTEST_DAYS,
    TicketScope,
    arrival_epochs,
    comparable_history,
    demand_forecast,
    handling_seconds,
    mean_handling,
    recent_weekly_rate,
    team_staffing,
)
from servicegate.planning.terms import (
    EngineMetric,
    calendar_of,
    metric_kind,
    open_fraction,
    open_seconds_per_week,
    target_seconds,
)
from servicegate.promises.models import Promise

PERIOD_DAYS = 30
DEFAULT_AHT_SECONDS = 2 * 3600.0
FORECAST_DAYS = 28


@dataclass(frozen=True)
class FeasibilityInputs:
    """The figures behind a feasibility assessment, as gathered from the database."""

    metric: EngineMetric
    target_seconds: float
    attainment: float
    open_fraction: float
    open_hours_per_week: float
    period_days: int
    arrivals_per_week: float
    arrivals_source: str  # "forecast" | "recent" | "none"
    extra_arrivals_per_week: float
    aht_seconds: float
    handling_tickets: int  # 0: the default handling time was used
    technicians: int
    agents: int
    comparable_promises: int
    confidence: float
    history: NDArray[np.bool_] = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k != "history"}
        out["history_tickets"] = int(self.history.size)
        out["history_met"] = int(self.history.sum())
        return out


@dataclass(frozen=True)
class FeasibilityReport:
    """Inputs and the assessment together; the verdict weighs the history replay."""

    inputs: FeasibilityInputs
    assessment: FeasibilityAssessment
    history_replay: dict[str, Any] | None = None  # ``HistoryReplay.to_dict()`` + status
    history_replay_note: str = ""  # why there is no replay

    def result_dict(self) -> dict[str, Any]:
        """The assessment with ``history_replay`` (as stored in ``FeasibilityResult``)."""
        return {
            **self.assessment.to_dict(),
            "history_replay": self.history_replay,
            "history_replay_note": self.history_replay_note,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"inputs": self.inputs.to_dict(), "assessment": self.result_dict()}


def replay_status(n: int, rate: float | None, ci_high: float, level: float) -> str:
    """What a replay says about the promised ``level`` (as the history's status)."""
    if not n or rate is None:
        return "none"
    if rate >= level:
        return "supports"
    return "contradicts" if ci_high < level else "uncertain"


def weigh_replay(verdict: str, status: str) -> str:
    """The verdict with the replay weighed in: contradicting makes it red, uncertain
    makes a green one amber."""
    if status == "contradicts":
        return "red"
    if status == "uncertain" and verdict == "green":
        return "amber"
    return verdict


def replay_evidence(promise: Promise) -> tuple[dict[str, Any] | None, str]:
    """The replay of the promise's own terms over the last year, per month, with its
    status; or None and the sentence why there is none."""
    try:
        replay = history_replay(promise=promise, period=Period.MONTH)
    except ReplayError as exc:
        return None, str(exc)
    out = replay.to_dict()
    out["status"] = replay_status(
        replay.total.n, replay.total.rate, replay.total.ci_high, float(out["level"])
    )
    return out, ""


def _arrivals_per_week(scope: TicketScope) -> tuple[float, str]:
    epochs = arrival_epochs(scope)
    if epochs.size == 0:
        return 0.0, "none"
    span_days = (float(epochs.max()) - float(epochs.min())) / 86_400
    if span_days >= MIN_BACKTEST_DAYS:
        rate = demand_forecast(scope, freq="day", horizon_days=FORECAST_DAYS).weekly_rate()
        if rate is not None:
            return rate, "forecast"
    return recent_weekly_rate(epochs), "recent"


def feasibility_gather(
    promise: Promise, *, extra_arrivals_per_week: float = 0.0, confidence: float = 0.9
) -> FeasibilityInputs:
    """Collect the inputs of ``promise``'s feasibility check (reads only).

    Raises :class:`PlanningInputError` with a sentence when the promise is no time
    promise, its calendar has no open hours, or there is no team or no volume.
    """
    kind = metric_kind(promise)
    if not float(promise.attainment_percent) < 100:
        raise PlanningInputError(
            _(
                "A promise for every single ticket (100 %) can never be shown feasible: one "
                "late ticket breaks it. Promise a level below 100 %."
            )
        )
    if not (extra_arrivals_per_week >= 0):
        raise PlanningInputError(
            _("The extra volume (%(n)s tickets per week) must be zero or positive.")
            % {"n": extra_arrivals_per_week}
        )
    cal = calendar_of(promise.calendar)
    fraction = open_fraction(cal)
    if fraction <= 0:
        raise PlanningInputError(
            _("The business calendar “%(name)s” has no open hours in its week; add some.")
            % {"name": promise.calendar.name}
        )
    now = timezone.now()
    scope = TicketScope.of_promise(promise)
    per_week, source = _arrivals_per_week(scope)
    samples = handling_seconds(scope, cal, now=now)
    aht = mean_handling(samples)
    team = team_staffing(fraction)
    if team.agents < 1:
        raise PlanningInputError(
            _("There is no active technician; add the team under Team before checking feasibility.")
        )
    history, compared = comparable_history(promise, now=now)
    return FeasibilityInputs(
        metric=kind,
        target_seconds=target_seconds(promise, cal),
        attainment=float(promise.attainment_percent) / 100.0,
        open_fraction=fraction,
        open_hours_per_week=open_seconds_per_week(cal) / 3600.0,
        period_days=PERIOD_DAYS,
        arrivals_per_week=per_week,
        arrivals_source=source,
        extra_arrivals_per_week=float(extra_arrivals_per_week),
        aht_seconds=aht if aht is not None else DEFAULT_AHT_SECONDS,
        handling_tickets=int(np.count_nonzero(samples > 0)) if aht is not None else 0,
        technicians=team.technicians,
        agents=team.agents,
        comparable_promises=compared,
        confidence=confidence,
        history=history,
    )


def feasibility_assess(inputs: FeasibilityInputs) -> FeasibilityAssessment:
    """Run the Gate-1 engine on gathered inputs (analytic method)."""
    weeks = inputs.period_days / 7.0
    expected = inputs.arrivals_per_week * weeks
    extra = inputs.extra_arrivals_per_week * weeks
    if expected <= 0:
        if extra <= 0:
            raise PlanningInputError(
                _(
                    "There are no tickets in this promise's scope and no extra volume; give the "
                    "tickets per week you expect."
                )
            )
        expected, extra = extra, 0.0
    proposal = PromiseProposal(
        metric=inputs.metric,
        target_seconds=inputs.target_seconds,
        attainment=inputs.attainment,
        period_seconds=inputs.period_days * 86_400.0,
        open_fraction=inputs.open_fraction,
    )
    return assess_promise(
        proposal,
        expected_arrivals=expected,
        extra_arrivals=extra,
        aht_seconds=inputs.aht_seconds,
        agents=inputs.agents,
        history=inputs.history if inputs.history.size else None,
        confidence=inputs.confidence,
    )


def feasibility_report(
    promise: Promise, *, extra_arrivals_per_week: float = 0.0, confidence: float = 0.9
) -> FeasibilityReport:
    """Gather and assess: the inputs and the assessment of ``promise``."""
    inputs = feasibility_gather(
        promise, extra_arrivals_per_week=extra_arrivals_per_week, confidence=confidence
    )
    assessment = feasibility_assess(inputs)
    replayed, note = replay_evidence(promise)
    if replayed is not None:
        verdict = weigh_replay(assessment.verdict, replayed["status"])
        assessment = replace(assessment, verdict=verdict)  # type: ignore[arg-type]
    return FeasibilityReport(inputs, assessment, replayed, note)


def promise_feasibility(
    promise: Promise, *, extra_arrivals_per_week: float = 0.0, confidence: float = 0.9
) -> FeasibilityAssessment:
    """The Gate-1 assessment of ``promise`` with today's team and the expected volume."""
    return feasibility_report(
        promise, extra_arrivals_per_week=extra_arrivals_per_week, confidence=confidence
    ).assessment


VERDICT_WORDS = {
    "green": gettext_lazy("green"),
    "amber": gettext_lazy("amber"),
    "red": gettext_lazy("red"),
}


def summary_lines(result: dict[str, Any], inputs: dict[str, Any]) -> list[str]:
    """The assessment as sentences in the active language, from the stored numbers
    (``FeasibilityAssessment.to_dict()`` and ``FeasibilityInputs.to_dict()``).

    Rendered when shown, never stored: a German reader reads German.  One expected
    ticket count (per week, and in the period the probability is about), so that
    verdict, probability and volume never contradict each other.
    """
    days = int(inputs.get("period_days", PERIOD_DAYS))
    verdict = str(VERDICT_WORDS.get(result["verdict"], result["verdict"]))
    lines = [
        _("Feasibility check: %(verdict)s.") % {"verdict": verdict},
        _(
            "Chance that the promise is met over %(days)d days with today's staffing "
            "(%(agents)d technicians on duty): %(p)s %%."
        )
        % {
            "days": days,
            "agents": result["agents"],
            "p": number_text(100 * result["probability_met"], 0),
        },
        _(
            "Expected tickets: %(week)s per week (+%(extra)s extra), %(total)s in %(days)d "
            "days; handling time %(aht)s h; open hours %(hours)s per week."
        )
        % {
            "week": number_text(inputs.get("arrivals_per_week", 0.0), 1),
            "extra": number_text(inputs.get("extra_arrivals_per_week", 0.0), 1),
            "total": number_text(result["expected_tickets"], 0),
            "days": days,
            "aht": number_text(inputs.get("aht_seconds", 0.0) / 3600, 1),
            "hours": number_text(inputs.get("open_hours_per_week", 0.0), 1),
        },
    ]
    confidence = number_text(100 * result["confidence"], 0)
    if result.get("staffing_needed") is None:
        lines.append(_("No staffing reaches %(c)s %% confidence.") % {"c": confidence})
    else:
        lines.append(
            _("Staffing needed for %(c)s %% confidence: %(n)d technicians on duty.")
            % {"c": confidence, "n": result["staffing_needed"]}
        )
    lines.append(history_sentence(result))
    lines.append(replay_sentence(result))
    return lines


def replay_sentence(result: dict[str, Any]) -> str:
    """What replaying the promise's own terms over its scope's tickets says."""
    replayed = result.get("history_replay")
    if not replayed:
        note = result.get("history_replay_note") or _("There is no ticket history to replay.")
        return str(_("No history replay: %(why)s") % {"why": note})
    if replayed.get("rate") is None:
        return str(
            _(
                "Replayed from %(start)s to %(end)s: none of its %(n)d tickets' clocks is "
                "decided yet."
            )
            % {"start": replayed["from"], "end": replayed["to"], "n": replayed["tickets"]}
        )
    sentence = _(
        "Had these terms been in force from %(start)s to %(end)s, the promise would have been "
        "kept on %(rate)s %% of %(n)d tickets (95 %% interval %(low)s–%(high)s %%) against "
        "the %(level)s %% promised."
    ) % {
        "start": replayed["from"],
        "end": replayed["to"],
        "rate": number_text(100 * replayed["rate"], 1),
        "n": replayed["n"],
        "low": number_text(100 * replayed["ci_low"], 1),
        "high": number_text(100 * replayed["ci_high"], 1),
        "level": number_text(100 * replayed["level"], 1),
    }
    if replayed.get("status") == "contradicts":
        sentence += " " + _("This replay contradicts the promise, which makes the verdict red.")
    elif replayed.get("status") == "uncertain":
        sentence += " " + _("The promised level lies within its interval: at best amber.")
    return str(sentence)


def history_sentence(result: dict[str, Any]) -> str:
    """What the history of comparable promises says about this promise's target."""
    share, ci = result.get("history_attainment"), result.get("history_ci95")
    if share is None or not ci:
        return str(_("No history of comparable promises."))
    sentence = _(
        "Tickets of comparable promises met this target in %(share)s %% of %(n)d cases "
        "(95 %% interval %(low)s–%(high)s %%)."
    ) % {
        "share": number_text(100 * share, 1),
        "n": result.get("history_tickets", 0),
        "low": number_text(100 * ci[0], 1),
        "high": number_text(100 * ci[1], 1),
    }
    if result.get("history_status") == "contradicts":
        sentence += " " + _("This history contradicts the promise, which makes the verdict red.")
    return str(sentence)


def number_text(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals in the active language's format ("95,0")."""
    return number_format(round(float(value), digits), digits)


def report_summary(report: FeasibilityReport) -> str:
    """A readable summary of ``report`` in the active language (for the command line)."""
    return " ".join(summary_lines(report.assessment.to_dict(), report.inputs.to_dict()))
