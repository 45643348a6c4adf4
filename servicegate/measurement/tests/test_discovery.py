"""SLA discovery: recover a known rule from recorded outcomes; the UCI log slice."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from servicegate.measurement.discovery import best_threshold, discover
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
    from servicegate.measurement.discovery import discovery_create

    drafts = discovery_create(result=result, by=alice, product=product)
    assert [(d.state, d.priority, d.metric) for d in drafts] == [
        ("draft", "P2", "resolution"),
        ("draft", "P3", "resolution"),
    ]
    assert "awaiting_customer" in drafts[0].clock_pause_statuses


@pytest.mark.django_db(transaction=True)
def test_uci_slice(shared_data: Path, tmp_path: Path) -> None:
    """The first 20,000 rows of the UCI log: discovery explains most recorded outcomes."""
    import csv
    import io
    import zipfile

    with zipfile.ZipFile(shared_data / UCI) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        with archive.open(name) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            rows = [row for _i, row in zip(range(20_001), reader, strict=False)]
    path = tmp_path / "uci.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    tickets_import(format="servicenow", path=path, skip_invalid=True)
    result = discover(source="servicenow")
    assert result["tickets"] > 2000
    assert result["agreement"] > 0.75
    assert {r["metric"] for r in result["rules"]} <= {"resolution", "first_response"}


def test_cli_discover_is_registered() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "servicegate", "sla", "discover", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--create" in out.stdout
