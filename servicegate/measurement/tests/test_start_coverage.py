"""Where a clock starts, and the gap a start rule leaves: not started and coverage.

By default a promise's clock starts when the ticket is opened; naming start statuses is
an explicit choice, and a ticket that never reaches one keeps a clock that has not
started. Attainment reports those clocks and the coverage (decided clocks / tickets in
scope) so that such a gap is never silent.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from servicegate.measurement.models import Clock
from servicegate.measurement.selectors import attainment
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0
from servicegate.promises.models import Promise

UCI = "uci-498-incident-event-log/incident_event_log.zip"


def test_new_promise_starts_at_opening(db: None) -> None:
    assert Promise._meta.get_field("clock_start_statuses").get_default() == []


def test_default_start_is_the_opening(
    make_promise: Callable[..., Promise], make_ticket: Callable[..., Any]
) -> None:
    """A ticket whose log begins with "in progress" 30 minutes after opening is measured
    from the opening; with "new" named as the start it is not started."""
    promise = make_promise(clock_start_statuses=[], target_value=Decimal(1))
    make_ticket("T-1", [(30, "in_progress"), (50, "resolved")])
    clocks_recompute(now=NOW)
    clock = Clock.objects.get(promise=promise)
    assert (clock.state, clock.started_at) == ("met", T0)
    assert clock.business_elapsed_s == 50 * 60
    # when "new" is named as the start
    Promise.objects.filter(pk=promise.pk).update(clock_start_statuses=["new"])
    clocks_recompute(now=NOW)
    assert Clock.objects.get(promise=promise).state == "not_started"


def test_attainment_reports_not_started_and_coverage(
    make_promise: Callable[..., Promise], make_ticket: Callable[..., Any]
) -> None:
    promise = make_promise(clock_start_statuses=["new"])
    make_ticket("T-1", [(0, "new"), (60, "resolved")])
    make_ticket("T-2", [(0, "new"), (600, "resolved")])
    make_ticket("T-3", [(0, "in_progress"), (60, "resolved")])  # never "new"
    make_ticket("T-4", [(0, "new")], opened=NOW - timedelta(minutes=30))  # still running
    clocks_recompute(now=NOW)
    # when
    [row] = attainment(group_by="promise", promise=promise.pk)
    # then
    assert (row.n, row.met, row.not_started, row.in_scope) == (2, 1, 1, 4)
    assert row.coverage == 0.5
    # per period the scope is not split (a clock that never started has no period)
    [monthly] = attainment(group_by="promise", period="month", promise=promise.pk)
    assert (monthly.n, monthly.not_started, monthly.coverage) == (2, None, None)


def test_promise_with_only_unstarted_clocks_is_listed(
    make_promise: Callable[..., Promise], make_ticket: Callable[..., Any]
) -> None:
    promise = make_promise(clock_start_statuses=["new"])
    make_ticket("T-1", [(0, "in_progress"), (60, "resolved")])
    clocks_recompute(now=NOW)
    [row] = attainment(group_by="promise")
    assert (row.group, row.n, row.not_started, row.in_scope) == (str(promise.pk), 0, 1, 1)
    assert row.rate is None and row.coverage == 0.0


def test_api_and_csv_report_the_gap(
    make_promise: Callable[..., Promise],
    make_ticket: Callable[..., Any],
    client: Client,
    bob: Any,
) -> None:
    promise = make_promise(clock_start_statuses=["new"])
    make_ticket("T-1", [(0, "new"), (60, "resolved")])
    make_ticket("T-2", [(0, "in_progress"), (60, "resolved")])
    clocks_recompute(now=NOW)
    client.force_login(bob)
    [row] = client.get(f"/api/v1/attainment?promise={promise.pk}").json()
    assert (row["n"], row["not_started"], row["in_scope"], row["coverage"]) == (1, 1, 2, 0.5)
    csv = client.get(
        f"/measurement/attainment/?group_by=promise&promise={promise.pk}&format=csv"
    ).content.decode()
    header, line = csv.splitlines()[:2]
    assert header.split(",")[-4:] == ["not_started", "in_scope", "coverage", "partial"]
    assert line.split(",")[-4:] == ["1", "2", "0.5000", ""]


@pytest.mark.django_db(transaction=True)
def test_uci_start_rule_coverage(
    shared_data: Path, tmp_path: Path, product: Any, alice: Any, always: Any
) -> None:
    """On the UCI ServiceNow log 8,041 of 23,466 P3 incidents have no "New" row: with
    "New" named as the start they are counted as not started; with the default start at
    the opening every one of them is measured."""
    from servicegate.operations.services import tickets_import

    path = tmp_path / "incidents.csv"
    with zipfile.ZipFile(shared_data / UCI) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        path.write_bytes(archive.read(name))
    tickets_import(format="servicenow", path=path, skip_invalid=True)
    fields: dict[str, Any] = {
        "metric": "resolution",
        "target_value": Decimal(5),
        "target_unit": "business_days",
        "attainment_percent": Decimal(90),
        "priority": "P3",
        "calendar": always,
        "product": product,
        "segment": product.segment,
        "made_by": alice,
        "made_by_role": "sales",
        "source": "contract",
        "valid_from": date(2016, 1, 1),
        "state": "in_service",
    }
    promise = Promise.objects.create(**fields, clock_start_statuses=["new"])
    clocks_recompute()
    # then: the named start leaves a third of the incidents unmeasured, and says so
    [row] = attainment(group_by="promise", promise=promise.pk)
    assert (row.in_scope, row.not_started) == (23_466, 8_041)
    assert row.coverage is not None and row.coverage < 0.66
    # the default start (at the opening) measures them
    Promise.objects.filter(pk=promise.pk).update(clock_start_statuses=[])
    clocks_recompute()
    [row] = attainment(group_by="promise", promise=promise.pk)
    assert (row.in_scope, row.not_started) == (23_466, 0)
    assert row.n > 23_000 and row.coverage is not None and row.coverage > 0.98


@pytest.mark.parametrize("group_by", ["customer", "team", "channel"])
def test_undecided_clocks_are_read_through_their_index(db: None, group_by: str) -> None:
    """Scope and coverage never scan the decided clocks (most of the table)."""
    from django.db import connection
    from django.db.models import Count

    from servicegate.measurement.coverage import CLOCK_FIELDS

    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    field = CLOCK_FIELDS[group_by]
    plan = (
        Clock.objects.filter(decided_at__isnull=True)
        .values(field)
        .annotate(n=Count("id"))
        .explain()
    )
    assert "clock_undecided_idx" in plan
