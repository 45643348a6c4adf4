"""History replay: any promise's terms over the tickets they would have covered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from servicegate.calendars.models import BusinessCalendar
from servicegate.measurement.models import Clock
from servicegate.measurement.replay import Overrides, ReplayError, history_replay
from servicegate.measurement.selectors import promise_attainment
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import BASE, NOW, T0
from servicegate.promises.models import Promise

FIRST, LAST = T0.date(), NOW.date()


def _replay(promise: Promise, **overrides: Any) -> tuple[int, int, int]:
    r = history_replay(
        promise=promise, overrides=Overrides(**overrides), start=FIRST, end=LAST, now=NOW
    )
    return r.total.n, r.total.met, r.not_started


def test_a_draft_replays_to_the_decided_clocks_of_the_same_promise_in_service(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any], replay_tickets: None
) -> None:
    """Same terms and scope, another state and validity: exactly the decided n and met."""
    # given a promise in service with its clocks, one more ticket still running, and
    # tickets out of its scope (another priority, a preventive job)
    live = make_promise(priority="P2", **BASE)
    make_ticket("G", [(0, "new")], opened=NOW - timedelta(hours=1))
    make_ticket("H", [(0, "new"), (30, "resolved")], priority="P1")
    make_ticket("I", [(0, "new"), (30, "resolved")], kind="preventive")
    clocks_recompute(now=NOW)
    decided = promise_attainment([live.pk])[live.pk]
    assert (decided.n, decided.met) == (6, 3)
    # when a draft with the same terms, valid only from next year, is replayed
    draft = make_promise(priority="P2", state="draft", valid_from=date(2027, 1, 1), **BASE)
    replay = history_replay(promise=draft, start=FIRST, end=LAST, period="week", now=NOW)
    # then
    assert (replay.total.n, replay.total.met) == (decided.n, decided.met)
    assert replay.tickets == 7  # G runs
    assert sum(p.n for p in replay.periods) == 6
    assert not Clock.objects.filter(promise=draft).exists()
    # and the in-service promise replays to its own figures too
    own = history_replay(promise=live, start=FIRST, end=LAST, now=NOW)
    assert (own.total.n, own.total.met, own.total.rate) == (6, 3, 0.5)


def test_each_override_changes_the_result_as_computed_by_hand(
    make_promise: Callable[..., Any], office: BusinessCalendar, replay_tickets: None
) -> None:
    promise = make_promise(state="draft", **BASE)
    assert _replay(promise) == (6, 3, 0)  # A, B, F met
    assert _replay(promise, target_value=Decimal("5.5")) == (6, 5, 0)  # C, E (5 h) too
    assert _replay(promise, target_unit="minutes") == (6, 0, 0)  # 4 minutes
    assert _replay(promise, calendar=office) == (6, 4, 0)  # E: 2 business hours
    assert _replay(promise, target_unit="business_days", calendar=office) == (6, 6, 0)  # 8 h
    assert _replay(promise, pause_statuses=("awaiting_customer",)) == (6, 4, 0)  # C: 2 h
    assert _replay(promise, start_statuses=("assigned",)) == (1, 1, 5)  # D only: 3 h 50
    assert _replay(promise, stop_statuses=("closed",)) == (6, 1, 0)  # F: 2 h; others run on
    assert _replay(promise, reopen="new_cycle") == (6, 4, 0)  # D: 2.5 h, then 3 h 20


def test_halving_the_target_never_raises_the_rate(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    """On random tickets: a tighter target decides more clocks and keeps fewer."""
    rng = np.random.default_rng(21)
    for i in range(40):
        opened = T0 + timedelta(hours=float(rng.uniform(0, 24 * 25)))
        steps: list[tuple[float, str]] = [(0, "new")]
        for status in ("in_progress", "awaiting_customer", "in_progress", "resolved"):
            if rng.random() < 0.8:
                steps.append((steps[-1][0] + float(rng.exponential(120)), status))
        make_ticket(f"R-{i}", steps, opened=opened)
    promise = make_promise(state="feasibility_review", clock_start_statuses=[])
    for target in (Decimal(16), Decimal(8), Decimal(4), Decimal(2), Decimal(1)):
        wide = history_replay(
            promise=promise, overrides=Overrides(target_value=target), period="week", now=NOW
        )
        tight = history_replay(
            promise=promise, overrides=Overrides(target_value=target / 2), period="week", now=NOW
        )
        assert tight.total.n >= wide.total.n and tight.total.met <= wide.total.met
        assert wide.total.rate is not None and tight.total.rate is not None
        assert tight.total.rate <= wide.total.rate


def test_the_default_window_is_the_last_year_clipped_to_the_history(
    make_promise: Callable[..., Any], replay_tickets: None
) -> None:
    replay = history_replay(promise=make_promise(**BASE), now=NOW)
    assert (replay.start, replay.end) == (FIRST, LAST)
    assert replay.total.n == 6


@pytest.mark.parametrize(
    ("kwargs", "sentence"),
    [
        ({"start": date(2026, 3, 1)}, "before the ticket history, which begins on 2026-03-02"),
        ({"end": date(2026, 4, 2)}, r"after today \(2026-04-01\)"),
        ({"end": date(2026, 2, 1)}, "ends on 2026-02-01, before the ticket history"),
        ({"start": date(2026, 3, 20), "end": date(2026, 3, 10)}, "after its end"),
        ({"start": date(2026, 3, 20)}, "No ticket in this promise's scope was opened between"),
        ({"overrides": Overrides(pause_statuses=("sleeping",))}, "sleeping is no ticket status"),
        ({"overrides": Overrides(target_unit="percent")}, "needs a time target"),
        ({"overrides": Overrides(reopen="never")}, "never is no reopen behaviour"),
        ({"period": "decade"}, "decade is no period"),
    ],
)
def test_bad_input_is_one_sentence(
    make_promise: Callable[..., Any], replay_tickets: None, kwargs: dict[str, Any], sentence: str
) -> None:
    with pytest.raises(ReplayError, match=sentence):
        history_replay(promise=make_promise(**BASE), now=NOW, **kwargs)


def test_a_promise_without_a_clock_cannot_be_replayed(
    make_promise: Callable[..., Any], replay_tickets: None
) -> None:
    promise = make_promise(metric="availability", target_unit="percent")
    with pytest.raises(ReplayError, match="has no clock"):
        history_replay(promise=promise, now=NOW)
