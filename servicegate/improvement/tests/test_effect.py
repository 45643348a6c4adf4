"""The effect of an action: the KPI counts of both windows and the one-sided Fisher test."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import fisher_exact

from servicegate.engines.effect import effect_test
from servicegate.improvement.kpis import KpiSubject, measure
from servicegate.improvement.services import action_create, action_transition
from servicegate.improvement.tests.conftest import NOW, Summarise
from servicegate.promises.models import Promise


@given(
    st.integers(0, 40).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
    st.integers(1, 40).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
)
def test_the_p_value_is_scipys_one_sided_fisher_exact(
    before: tuple[int, int], after: tuple[int, int]
) -> None:
    n_before, met_before = before
    n_after, met_after = after
    result = effect_test(
        met_before=met_before, n_before=n_before, met_after=met_after, n_after=n_after
    )
    if n_before == 0:
        assert result.p_value is None and result.verdict == "not_measurable"
        return
    table = [[met_after, n_after - met_after], [met_before, n_before - met_before]]
    expected = fisher_exact(table, alternative="greater")[1]
    assert result.p_value == pytest.approx(min(1.0, float(expected)), abs=1e-12)


def test_a_clear_improvement_is_verified_and_no_change_is_not() -> None:
    better = effect_test(met_before=12, n_before=20, met_after=19, n_after=20)
    assert better.verdict == "improved" and better.p_value is not None and better.p_value < 0.05
    same = effect_test(met_before=12, n_before=20, met_after=12, n_after=20)
    assert same.verdict == "no_effect"


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="not a count"):
        effect_test(met_before=5, n_before=3, met_after=1, n_after=1)


def test_attainment_counts_the_promises_decided_clocks_in_the_window(
    promise: Promise, make_promise: object, summarise: Summarise
) -> None:
    other = make_promise(title="P3 resolution")  # type: ignore[operator]
    day = NOW.date()
    summarise(promise, day - timedelta(days=3), 10, 7, "queue")
    summarise(promise, day - timedelta(days=2), 5, 5)
    summarise(promise, day, 100, 0)  # outside [start, end)
    summarise(other, day - timedelta(days=2), 50, 50)
    window = measure(
        KpiSubject("promise_attainment", promise=promise), NOW - timedelta(days=7), NOW
    )
    assert (window.n, window.met) == (15, 12)
    product = measure(
        KpiSubject("product_attainment", product=promise.product), NOW - timedelta(days=7), NOW
    )
    assert (product.n, product.met) == (65, 62)


def test_first_time_fix_and_time_to_resolve_count_resolved_tickets(
    resolved_ticket: object,
) -> None:
    make = resolved_ticket
    for hours, reopened in ((2, 0), (3, 1), (10, 0), (30, 0)):
        make(NOW - timedelta(days=3), hours, reopened)  # type: ignore[operator]
    start, end = NOW - timedelta(days=7), NOW
    ftf = measure(KpiSubject("first_time_fix"), start, end)
    assert (ftf.n, ftf.met) == (4, 3)
    mttr = measure(KpiSubject("mean_time_to_resolve", target=Decimal(8)), start, end)
    assert (mttr.n, mttr.met) == (4, 2)


def test_the_effect_of_an_action_agrees_with_fisher_exact(
    bob: User, promise: Promise, summarise: Summarise
) -> None:
    summarise(promise, (NOW - timedelta(days=20)).date(), 30, 21, "queue")
    action = action_create(
        by=bob,
        title="Queue alarm",
        owner=bob,
        source="breach",
        kpi="promise_attainment",
        promise=promise,
        window_days=30,
        now=NOW,
    )
    action_transition(action=action, to="do", by=bob, now=NOW)
    summarise(promise, (NOW + timedelta(days=10)).date(), 25, 24)
    checked = action_transition(action=action, to="check", by=bob, now=NOW + timedelta(days=40))
    expected = fisher_exact([[24, 1], [21, 9]], alternative="greater")[1]
    assert checked.p_value == pytest.approx(expected)
    assert checked.verdict == "improved"
