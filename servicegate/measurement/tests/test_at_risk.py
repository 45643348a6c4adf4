"""The live at-risk list: running clocks past their warning point and breached ones,
least business time left first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from servicegate.conftest import make_user
from servicegate.measurement import selectors
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import T0


def test_at_risk_ordered_by_business_time_left(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any], office: Any
) -> None:
    # given a 4-hour promise on 24x7 (warning at 75 %, after 3 h) and a 2-business-hour
    # one on office hours for P1 that warns at half its target
    make_promise(target_value=Decimal(4))
    make_promise(
        priority="P1",
        target_value=Decimal(2),
        target_unit="business_hours",
        calendar=office,
        warning_percent=50,
    )
    now = T0 + timedelta(hours=7, minutes=30)  # Monday 15:30
    make_ticket("A", [(0, "new")], opened=now - timedelta(hours=3))  # 1 h left
    make_ticket("B", [(0, "new")], opened=now - timedelta(hours=3, minutes=30))  # 30 min left
    make_ticket("C", [(0, "new")], opened=now - timedelta(hours=1))  # before its warning
    # office: opened 14:30, 2 business hours → due Tue 08:30; left: 30 min today + 30 min
    make_ticket("D", [(0, "new")], opened=now - timedelta(hours=1), priority="P1")
    make_ticket("E", [(0, "new"), (10, "resolved")], opened=now - timedelta(hours=3))
    clocks_recompute(now=now)
    found = selectors.at_risk(now=now)
    assert [(a.clock.ticket.number, a.business_left_s) for a in found] == [
        ("B", 1800),
        ("A", 3600),
        ("D", 3600),
    ]
    # D's deadline is 17 hours away in wall time but only one business hour
    assert found[2].clock.deadline == T0 + timedelta(days=1, minutes=30)


def test_overdue_open_clocks_come_first(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    # given a 4-hour promise and a ticket still open 5 hours after it was opened
    make_promise(target_value=Decimal(4))
    now = T0 + timedelta(hours=7, minutes=30)
    make_ticket("LATE", [(0, "new")], opened=now - timedelta(hours=5))  # 1 h overdue
    make_ticket("SOON", [(0, "new")], opened=now - timedelta(hours=3))  # 1 h left
    make_ticket("DONE", [(0, "new"), (5, "resolved")], opened=now - timedelta(hours=6))
    # when the clocks are computed now: LATE's clock has breached and still runs
    clocks_recompute(now=now)
    found = selectors.at_risk(now=now)
    # then it heads the list, overdue by an hour; the resolved ticket is not listed
    assert [(a.clock.ticket.number, a.clock.state) for a in found] == [
        ("LATE", "breached_running"),
        ("SOON", "running"),
    ]
    assert found[0].overdue and found[0].left == "1:00"
    assert not found[1].overdue and found[1].left == "1:00"


def test_paused_clocks_and_other_technicians_tickets_are_left_out(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    carol: Any,
    dana: Any,
    always: Any,
) -> None:
    from servicegate.team.models import Technician

    make_promise(target_value=Decimal(4), clock_pause_statuses=["awaiting_customer"])
    now = T0 + timedelta(hours=7, minutes=30)
    mine = Technician.objects.create(user=carol, name="Carol", home_base="X", calendar=always)
    make_ticket("MINE", [(0, "new")], opened=now - timedelta(hours=5), technician=mine)
    make_ticket("OTHER", [(0, "new")], opened=now - timedelta(hours=5))
    make_ticket("WAIT", [(0, "new"), (200, "awaiting_customer")], opened=now - timedelta(hours=5))
    clocks_recompute(now=now)
    assert [a.clock.ticket.number for a in selectors.at_risk(now=now)] == ["MINE", "OTHER"]
    # carol the technician sees her own ticket only, so no link leads to a 404
    assert [a.clock.ticket.number for a in selectors.at_risk(user=carol, now=now)] == ["MINE"]
    # a dispatcher sees every ticket's; a user without any role none
    assert [a.clock.ticket.number for a in selectors.at_risk(user=dana, now=now)] == [
        "MINE",
        "OTHER",
    ]
    assert selectors.at_risk(user=make_user("nobody", None), now=now) == []


def test_sqlite_reads_the_candidates_through_the_at_risk_index(db: None) -> None:
    import pytest
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    query = selectors.at_risk_candidates(now=T0)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "clock_warning_idx" in plan


def test_sqlite_reads_a_dispatchers_candidates_through_the_at_risk_index(dana: Any) -> None:
    """Every ticket is visible to a dispatcher: no subquery of all tickets, which SQLite
    would walk for their clocks (15 ms on the small demo's 20,000 tickets)."""
    import pytest
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    query = selectors.visible_candidates(selectors.at_risk_candidates(now=T0), dana)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "clock_warning_idx" in plan
    assert "operations_ticket" not in sql.split(" WHERE ", 1)[1]
