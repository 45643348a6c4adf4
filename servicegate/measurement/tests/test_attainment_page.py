"""The attainment page: grouped as the user chooses, per period, and as CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0
from servicegate.operations.models import Customer


@pytest.fixture
def two_customers(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any], customer: Customer
) -> Customer:
    """Weber: 2 of 2 within 4 h (March); Brandt: 1 of 3 (two in February, one in March)."""
    make_promise(target_value=Decimal(4), attainment_percent=Decimal(90))
    brandt = Customer.objects.create(
        number="K-2", name="Brandt Maschinen AG", segment=customer.segment
    )
    for i, minutes in enumerate([60, 120]):
        make_ticket(f"W-{i}", [(0, "new"), (minutes, "resolved")], opened=T0 + timedelta(days=i))
    for i, (day, minutes) in enumerate([(-20, 300), (-19, 600), (3, 60)]):
        make_ticket(
            f"B-{i}",
            [(0, "new"), (minutes, "resolved")],
            opened=T0 + timedelta(days=day),
            customer_=brandt,
        )
    clocks_recompute(now=NOW)
    return brandt


def _rows(html: str) -> list[str]:
    table = html[html.index('data-testid="attainment"') :]
    table = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]


def test_grouped_by_customer(client: Client, victor: User, two_customers: Customer) -> None:
    client.force_login(victor)
    rows = _rows(client.get("/measurement/attainment/?group_by=customer").content.decode())
    # worst first, with clocks not started and coverage
    assert rows[0].startswith("Brandt Maschinen AG 3 33.3 %")
    assert rows[0].endswith("90.0 % not kept 0 100.0 %")
    assert rows[1].startswith("Weber Automotive GmbH 2 100.0 %")
    assert rows[1].endswith("90.0 % kept 0 100.0 %")


def test_per_month_and_as_csv(client: Client, victor: User, two_customers: Customer) -> None:
    client.force_login(victor)
    response = client.get("/measurement/attainment/?group_by=customer&period=month&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    brandt = [
        (r["period"], r["decided"], r["met"]) for r in rows if r["group"].startswith("Brandt")
    ]
    assert brandt == [("2026-02", "2", "0"), ("2026-03", "1", "1")]
    march = next(r for r in rows if r["group"].startswith("Brandt") and r["period"] == "2026-03")
    # one of one: rate 1, Wilson interval [0.2065, 1]
    assert (march["rate"], march["ci_low"], march["ci_high"]) == ("1.0000", "0.2065", "1.0000")


def test_unknown_choices_fall_back(client: Client, victor: User, two_customers: Customer) -> None:
    client.force_login(victor)
    page = client.get("/measurement/attainment/?group_by=nonsense&period=decade&promise=x")
    assert page.status_code == 200
    assert len(_rows(page.content.decode())) == 2  # by customer, all time


def test_login_required(client: Client) -> None:
    response = client.get("/measurement/attainment/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("week", ["2025-12-29", "2026-02-09", "2026-03-02"]),
        ("month", ["2025-12-01", "2026-02-01", "2026-03-01"]),
        ("quarter", ["2025-10-01", "2026-01-01"]),
    ],
)
def test_periods_start_on_monday_the_first_and_the_quarter(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    period: str,
    expected: list[str],
) -> None:
    from datetime import UTC, date, datetime

    from servicegate.measurement import selectors

    make_promise(target_value=Decimal(4), valid_from=date(2025, 1, 1))
    # resolved (decided) on Wed 31 Dec 2025, Sun 15 Feb 2026 and Wed 4 Mar 2026, 23:00 UTC
    for i, day in enumerate([date(2025, 12, 31), date(2026, 2, 15), date(2026, 3, 4)]):
        opened = datetime(day.year, day.month, day.day, 22, 0, tzinfo=UTC)
        make_ticket(f"P-{i}", [(0, "new"), (60, "resolved")], opened=opened)
    clocks_recompute(now=NOW)
    rows = selectors.attainment(group_by="promise", period=period)
    assert [str(r.period) for r in rows] == expected


def test_a_long_table_points_to_the_csv(
    client: Client, victor: User, two_customers: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicegate.measurement import views

    monkeypatch.setattr(views, "MAX_ATTAINMENT_ROWS", 1)
    client.force_login(victor)
    html = client.get("/measurement/attainment/?group_by=customer").content.decode()
    assert len(_rows(html)) == 1
    assert "One more row is in the CSV download." in html


GROUP_FIELDS: dict[str, str] = {
    "promise": "promise_id",
    "product": "promise__product__name",
    "segment": "promise__segment__name",
    "customer": "customer__name",
    "team": "team",
    "channel": "channel",
    "priority": "priority",
}


def _attainment_from_clocks(group_by: str, period: str | None) -> list[Any]:
    """The reference: attainment grouped over every decided clock."""
    from django.db.models import Avg, Case, Count, IntegerField, Sum, When

    from servicegate.measurement.models import Clock
    from servicegate.measurement.periods import PeriodStart
    from servicegate.measurement.selectors import attainment_of

    field = GROUP_FIELDS[group_by]
    clocks = Clock.objects.filter(decided_at__isnull=False)
    keys = [field]
    if period:
        clocks = clocks.annotate(period=PeriodStart("decided_at", period))
        keys.append("period")
    rows = (
        clocks.values(*keys)
        .annotate(
            n=Count("id"),
            met=Sum(Case(When(breached=False, then=1), default=0, output_field=IntegerField())),
            level=Avg("promise__attainment_percent"),
        )
        .order_by(*keys)
    )
    out = []
    for r in rows:
        p = r.get("period")
        day = p.date() if isinstance(p, datetime) else p
        level = float(r["level"]) / 100 if r["level"] is not None else None
        out.append(attainment_of(str(r[field] or "–"), day, r["n"], r["met"] or 0, level))
    return out


@pytest.mark.parametrize(
    "group_by", ["promise", "product", "segment", "customer", "team", "channel", "priority"]
)
@pytest.mark.parametrize("period", [None, "week", "month", "quarter"])
def test_the_summary_answers_as_the_clocks_do(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    customer: Customer,
    group_by: str,
    period: str | None,
) -> None:
    from servicegate.measurement import selectors

    # two promises with different levels on overlapping tickets, over two months, for
    # two customers (and none) and three teams
    quick = make_promise(target_value=Decimal(4), attainment_percent=Decimal(90))
    make_promise(target_value=Decimal(2), attainment_percent=Decimal(80), metric="first_response")
    other = Customer.objects.create(number="K-2", name="Other Ltd", segment=customer.segment)
    for i in range(24):
        make_ticket(
            f"S-{i}",
            [(0, "new"), (20 * (i % 5) + 10, "in_progress"), (40 * (i % 7) + 130, "resolved")],
            opened=T0 - timedelta(days=2 * i),
            priority=["P1", "P2", "P3"][i % 3],
            channel=["remote", "on_site"][i % 2],
            customer_=[other, None, "default"][i % 3],
            assignment_group=["Field", "Desk", ""][i % 4 % 3],
        )
    clocks_recompute(now=NOW)
    for _ in range(2):  # as computed first, then as changed by a recomputation
        summary = selectors.attainment(group_by=group_by, period=period)
        clocks = _attainment_from_clocks(group_by, period)
        assert [(a.group, a.period, a.n, a.met) for a in summary] == [
            (a.group, a.period, a.n, a.met) for a in clocks
        ]
        assert [a.level for a in summary] == pytest.approx([a.level for a in clocks])
        assert sum(a.n for a in summary) > 24
        quick.target_value = Decimal(3)
        quick.save()
        clocks_recompute(now=NOW)
