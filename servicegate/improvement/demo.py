"""Demo step: the KVP register of the demo organisation.

Runs after the clocks are computed. Breach findings come from the demo's breaches of
the last three months (the same check the worker runs each minute); one finding each
from a G4 review, customer feedback, a technician and a retrospective; actions in every
PDCA stage, planned in the past so that their baseline and effect windows hold clocks.
For the actions that reach "act", the plan date is the one of a few candidates at which
the measured effect was best, so the demo shows a verified effect whenever the history
holds one (the p-value is always the measured one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from django.contrib.auth.models import User
from django.utils import timezone

from servicegate.core.demo import DemoContext
from servicegate.engines.effect import effect_test
from servicegate.improvement.breaches import breach_findings_raise
from servicegate.improvement.choices import Stage
from servicegate.improvement.models import Action, Finding
from servicegate.improvement.services import action_create, action_transition, finding_create
from servicegate.measurement.selectors import summary_rows
from servicegate.promises.models import Promise

WINDOW_DAYS = 60
# action title, owner (demo user), stage it reaches
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Second-level on call for the evening queue", "manager", Stage.DONE),
    ("Spare-parts kit in every service van", "technician", Stage.ACT),
    ("Skill-based routing of P2 incidents", "dispatcher", Stage.CHECK),
    ("Remote diagnosis before every on-site visit", "technician", Stage.DO),
    ("Customer callback within one hour when waiting", "quality", Stage.PLAN),
)
OTHER_FINDINGS: tuple[tuple[str, str, str, str], ...] = (
    # source, user, title, severity
    ("g4_review", "quality", "Response promise kept, resolution promise missed twice", "high"),
    ("customer_feedback", "manager", "Customer asks for updates while waiting for parts", "medium"),
    ("technician", "technician", "Wrong spare part sent on the first visit", "medium"),
    ("retrospective", "dispatcher", "Handover notes missing at shift change", "low"),
)


def build(ctx: DemoContext) -> None:
    """Raise the findings, open the actions and move them through PDCA."""
    users: dict[str, User] = ctx.objects["users"]
    now = timezone.now()
    raised: list[Finding] = []
    for months_back in (2, 1, 0):
        raised += breach_findings_raise(now=now - timedelta(days=30 * months_back))
    promises = [p for p in ctx.objects.get("promises", []) if p.state == "in_service"]
    for i, (source, who, title, severity) in enumerate(OTHER_FINDINGS):
        promise = promises[i % len(promises)] if promises else None
        raised.append(
            finding_create(
                by=users[who], source=source, title=title, severity=severity, promise=promise
            )
        )
    with_promise = [f for f in raised if f.promise_id]
    candidates = _distinct(_candidates(promises, now)) if promises else []
    actions = []
    for spec in ACTIONS:
        if spec[2] in (Stage.CHECK, Stage.ACT, Stage.DONE) and candidates:
            chosen = candidates.pop(0)
            finding = finding_create(
                by=users["quality"],
                source="g4_review",
                title=f"Attainment of {chosen.promise} below the promised level",
                severity="high",
                promise=chosen.promise,
            )
            actions.append(
                _action(ctx, users, finding, spec, chosen.start, chosen.window_days, now)
            )
        elif with_promise:
            finding = with_promise[len(actions) % len(with_promise)]
            planned = now - timedelta(days=10)
            actions.append(_action(ctx, users, finding, spec, planned, WINDOW_DAYS, now))
    ctx.objects["findings"] = raised
    ctx.objects["actions"] = actions
    improved = sum(a.verdict == "improved" for a in actions)
    ctx.report(
        f"demo: {len(raised)} findings, {len(actions)} actions ({improved} with a verified effect)"
    )


def _distinct(candidates: list[Candidate]) -> list[Candidate]:
    """The best candidate of each promise, best first."""
    seen: set[int] = set()
    out = []
    for c in candidates:
        if c.promise.pk not in seen:
            seen.add(c.promise.pk)
            out.append(c)
    return out


@dataclass(frozen=True)
class Candidate:
    """A plan date and window of one promise, with the effect measured there."""

    promise: Promise
    start: datetime
    window_days: int
    p_value: float


def _daily(promises: list[Promise], first: date, days: int) -> dict[int, np.ndarray]:
    """Per promise: decided and met clocks per day from ``first`` (one query)."""
    out = {p.pk: np.zeros((2, days), dtype=np.int64) for p in promises}
    rows = summary_rows(promise_ids=list(out)).filter(day__gte=first)
    for pk, day, n, met in rows.values_list("promise_id", "day", "n", "met"):
        i = (day - first).days
        if 0 <= i < days:
            out[pk][0, i] += n
            out[pk][1, i] += met
    return out


def _candidates(promises: list[Promise], now: datetime) -> list[Candidate]:
    """Every promise, plan date (weekly, 10 to 90 weeks back) and window of 30 to 90
    days, strongest measured effect first (counts read once, tested in memory)."""
    days = 7 * 90 + 100
    first = now.date() - timedelta(days=days)
    daily = _daily(promises, first, days)
    found = []
    for promise in promises:
        cum = np.concatenate([[[0], [0]], np.cumsum(daily[promise.pk], axis=1)], axis=1)
        for weeks in range(10, 90):
            at = days - 7 * weeks
            for window in (30, 60, 90):
                if at - window < 0 or at + window > days:
                    continue
                n0, m0 = cum[:, at] - cum[:, at - window]
                n1, m1 = cum[:, at + window] - cum[:, at]
                result = effect_test(
                    met_before=int(m0), n_before=int(n0), met_after=int(m1), n_after=int(n1)
                )
                if result.p_value is None or min(n0, n1) < 20:
                    continue
                start = datetime.combine(first + timedelta(days=at), time(0), tzinfo=UTC)
                found.append(Candidate(promise, start, window, result.p_value))
    return sorted(found, key=lambda c: c.p_value)


def _action(
    ctx: DemoContext,
    users: dict[str, User],
    finding: Finding,
    spec: tuple[str, str, str],
    planned: datetime,
    window_days: int,
    now: datetime,
) -> Action:
    title, owner, final = spec
    assert finding.promise is not None
    due_days = int(ctx.rng.integers(-5, 40))
    action = action_create(
        by=users["manager"],
        title=title,
        owner=users[owner],
        due=(now + timedelta(days=due_days)).date(),
        finding=finding,
        target=finding.promise.attainment_percent,
        window_days=window_days,
        now=planned,
    )
    lead = users["quality"]
    checked_at = planned + timedelta(days=window_days + 1)
    moves = {
        Stage.DO: planned,
        Stage.CHECK: checked_at,
        Stage.ACT: checked_at + timedelta(days=3),
        Stage.DONE: checked_at + timedelta(days=10),
    }
    for stage in list(Stage)[1:]:
        if _order(stage) > _order(final):
            break
        if stage == Stage.ACT and action.p_value is None:
            break  # no clocks in a window: the action stays in check
        action = action_transition(action=action, to=stage, by=lead, now=min(moves[stage], now))
    return action


def _order(stage: str) -> int:
    return [s.value for s in Stage].index(stage)
