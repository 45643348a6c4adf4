"""SLA discovery: recover a known rule from recorded outcomes; the UCI log slice."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from servicegate.calendars.models import BusinessCalendar
from servicegate.measurement.discovery import best_threshold, discover
from servicegate.measurement.discovery_drafts import discovered_promises_create, target_of
from servicegate.measurement.tests.conftest import T0
from servicegate.operations.services import tickets_import

UCI = "uci-498-incident-event-log/incident_event_log.zip"


def test_best_threshold_is_exact() -> None:
    used = np.array([10, 20, 30, 40, 50], dtype=np.int64)
    met = np.array([True, True, False, True, False])
    target, agree = best_threshold(used, met)
    assert (target, agree) == (40, 4) or (target, agree) == (20, 4)


def test_known_rule_is_recovered(make_ticket: Callable[..., Any], product: Any, alice: Any) -> None:
    """P2: resolution within 4 h with waiting for the customer paused; P3 within 8 h."""
    rng = np.random.default_rng(7)
    for i in range(60):
        work = int(rng.integers(30, 600))
        wait = int(rng.integers(0, 300)) if i % 2 else 0
        prio, target = ("P2", 240) if i % 3 else ("P3", 480)
        steps = [(0, "new"), (5, "in_progress")]
        if wait:
            steps += [(10, "awaiting_customer"), (10 + wait, "in_progress")]
        steps.append((5 + wait + work, "resolved"))
        made = (5 + work) <= target
        make_ticket(
            f"D-{i}",
            steps,
            opened=T0 + timedelta(days=i),
            priority=prio,
            customer_=None,
            source="import",
            source_made_sla=made,
        )
    result = discover(now=T0 + timedelta(days=90))
    assert result["tickets"] == 60
    assert result["agreement"] == 1.0
    rules = {r["priority"]: r for r in result["rules"]}
    assert rules["P2"]["metric"] == "resolution"
    assert "awaiting_customer" in rules["P2"]["pause_statuses"]
    assert rules["P2"]["agreement"] == 1.0
    assert rules["P3"]["agreement"] == 1.0
    # --create stores them as drafts
    drafts = discovered_promises_create(result=result, by=alice, product=product)
    assert [(d.state, d.priority, d.metric) for d in drafts] == [
        ("draft", "P2", "resolution"),
        ("draft", "P3", "resolution"),
    ]
    assert "awaiting_customer" in drafts[0].clock_pause_statuses


def test_close_clock_is_found_when_outcomes_are_decided_on_closing(
    make_ticket: Callable[..., Any],
) -> None:
    """Resolved quickly but closed days later: the outcome follows the time to close."""
    rng = np.random.default_rng(11)
    for i in range(80):
        resolve = int(rng.integers(30, 300))
        close = resolve + int(rng.integers(60, 6000))
        make_ticket(
            f"C-{i}",
            [(0, "new"), (10, "in_progress"), (resolve, "resolved"), (close, "closed")],
            opened=T0 + timedelta(days=i),
            priority="P3",
            customer_=None,
            source="import",
            source_made_sla=close <= 3000,
        )
    result = discover(now=T0 + timedelta(days=120))
    (rule,) = result["rules"]
    assert (rule["clock"], rule["start"], rule["agreement"]) == ("close", "opened", 1.0)
    assert rule["stop_statuses"] == ["closed"]
    assert result["agreement"] == 1.0


def test_start_at_opening_counts_time_before_the_first_logged_row(
    make_ticket: Callable[..., Any],
) -> None:
    """The log's first row comes 0-50 min after the opening; the outcome counts from it."""
    for i in range(40):
        late = (i * 7) % 50
        work = 20 + (i * 13) % 90
        make_ticket(
            f"O-{i}",
            [(late, "new"), (late + work, "resolved")],
            opened=T0 + timedelta(days=i),
            priority="P2",
            customer_=None,
            source="import",
            source_made_sla=late + work <= 80,
        )
    result = discover(now=T0 + timedelta(days=90))
    (rule,) = result["rules"]
    assert (rule["start"], rule["agreement"], rule["target_seconds"] // 60) == ("opened", 1.0, 80)


def test_drafts_measure_their_history_on_an_existing_24x7_calendar(
    make_ticket: Callable[..., Any], product: Any, alice: Any, always: Any
) -> None:
    """Valid from the first ticket's day, the existing 24×7 calendar, a 0 s target kept."""
    for i in range(10):
        make_ticket(
            f"Z-{i}",
            [(0, "new"), (i and 30 + i, "resolved")],  # only the first is resolved at once
            opened=T0 + timedelta(days=i),
            priority="P1",
            customer_=None,
            source="import",
            source_made_sla=i == 0,
        )
    result = discover(now=T0 + timedelta(days=30))
    assert result["rules"][0]["target_seconds"] == 0
    before = BusinessCalendar.objects.count()
    (draft,) = discovered_promises_create(result=result, by=alice, product=product)
    assert draft.target_value == 0 and draft.statement.endswith("≤ 0 hours")
    assert draft.calendar == always
    assert BusinessCalendar.objects.count() == before
    assert draft.valid_from == T0.date()
    assert draft.clock_start_statuses == [] and draft.clock_stop_statuses == [
        "resolved",
        "closed",
    ]


def test_target_is_kept_to_the_minute() -> None:
    assert target_of(7200) == (Decimal("2.00"), "hours")
    assert target_of(119) == (Decimal("1.98"), "minutes")
    assert target_of(0) == (Decimal("0.00"), "hours")


@pytest.mark.django_db(transaction=True)
def test_uci_log_is_explained_by_the_time_to_close(shared_data: Path) -> None:
    """The whole UCI log: ServiceNow decided ``made_sla`` on closing, per priority."""
    tickets_import(format="servicenow", path=shared_data / UCI)
    out = io.StringIO()
    call_command("sla_discover", "--json", stdout=out)  # `servicegate sla discover --json`
    result = json.loads(out.getvalue())
    assert result["tickets"] >= 24_000
    assert result["agreement"] >= 0.97
    assert {r["clock"] for r in result["rules"]} == {"close"}


def test_command_creates_the_drafts(
    make_ticket: Callable[..., Any], product: Any, alice: Any
) -> None:
    for i in range(6):
        make_ticket(
            f"K-{i}",
            [(0, "new"), (10 * (i + 1), "resolved")],
            opened=T0 + timedelta(days=i),
            customer_=None,
            source="import",
            source_made_sla=i < 3,
        )
    out = io.StringIO()
    call_command("sla_discover", "--create", "--by", alice.username, stdout=out)
    assert "agreement 1.0" in out.getvalue() and "1 draft promises created" in out.getvalue()
    with pytest.raises(CommandError, match="name an existing service product"):
        call_command("sla_discover", "--create", "--by", "nobody")


def test_cli_discover_is_registered() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "servicegate", "sla", "discover", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--create" in out.stdout
