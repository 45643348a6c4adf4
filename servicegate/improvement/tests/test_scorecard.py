"""The Sales scorecard: rows agree with measurement's attainment, exports open."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from openpyxl import load_workbook  # type: ignore[import-untyped]

from servicegate.accounts.services import token_create
from servicegate.conftest import RoleMatrix
from servicegate.improvement.scorecard import HEADER, scorecard
from servicegate.improvement.tests.conftest import NOW, Summarise
from servicegate.measurement.selectors import attainment, promise_attainment
from servicegate.promises.models import Promise


@pytest.fixture
def world(make_promise: Any, summarise: Summarise, segment: Any, bob: User) -> list[Promise]:
    """Two promises on the hotline (90 % and 95 %), clocks over two months."""
    first = make_promise(title="P2 response")
    second = make_promise(title="P1 response", attainment_percent=95)
    day = NOW.date()
    summarise(first, day - timedelta(days=40), 30, 24, "queue")
    summarise(first, day - timedelta(days=3), 20, 19)
    summarise(second, day - timedelta(days=3), 10, 10)
    return [first, second]


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user)[1]}"})


def test_rows_agree_with_the_attainment_of_their_promises(world: list[Promise]) -> None:
    (row,) = scorecard(by="product", until=NOW.date())
    measured = promise_attainment([p.pk for p in world])
    assert row.tickets == sum(m.n for m in measured.values()) == 60
    assert row.met == sum(m.met for m in measured.values()) == 53
    assert row.attainment == pytest.approx(53 / 60)
    (by_product,) = attainment(group_by="product")
    assert (by_product.group, by_product.n, by_product.met) == (row.label, row.tickets, row.met)
    assert row.target_percent == pytest.approx(100 * by_product.level)  # type: ignore[operator]
    assert row.kept is False and row.promises == 2
    assert row.trend[-1] == pytest.approx(29 / 30) and row.trend[-2] == pytest.approx(24 / 30)


def test_the_period_limits_the_counted_clocks(world: list[Promise]) -> None:
    (row,) = scorecard(by="segment", since=NOW.date() - timedelta(days=10), until=NOW.date())
    assert (row.tickets, row.met, row.kept) == (30, 29, True)


def test_the_api_rows_and_the_bad_grouping(world: list[Promise], alice: User) -> None:
    rows = api(alice).get("/api/v1/scorecard?by=made_by").json()
    assert [(r["label"], r["tickets"], r["met"]) for r in rows] == [("alice", 60, 53)]
    assert set(rows[0]) == {*HEADER, "trend"}
    bad = api(alice).get("/api/v1/scorecard?by=colour")
    assert bad.status_code == 422 and "Group the scorecard by one of" in bad.json()["detail"]


def test_every_role_but_customers_reads_the_scorecard(role_matrix: RoleMatrix) -> None:
    role_matrix("/api/v1/scorecard?by=product", {"*": 200}, api=True)
    role_matrix("/improvement/scorecard/?by=segment", {"*": 200})


def test_the_workbook_and_the_csv_read_back(world: list[Promise], alice: User) -> None:
    response = api(alice).get("/api/v1/scorecard.xlsx?by=product")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "key",
        "label",
        "promises",
        "tickets",
        "met",
        "attainment",
        "target_percent",
        "kept",
        "csat_n",
        "csat_mean",
        "csat_satisfied",
    )
    assert rows[1][1:5] == ("Remote Hotline Premium", 2, 60, 53)
    assert rows[1][5] == pytest.approx(53 / 60)
    assert sheet.cell(row=2, column=6).number_format == "0.0%"
    text = api(alice).get("/api/v1/scorecard.csv?by=product").content.decode()
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0][0] == "key" and parsed[1][1:5] == ["Remote Hotline Premium", "2", "60", "53"]


def test_the_scorecard_page_drills_down_to_promises_and_causes(
    world: list[Promise], alice: User
) -> None:
    client = Client()
    client.force_login(alice)
    page = client.get("/improvement/scorecard/?by=product").content.decode()
    assert "Remote Hotline Premium" in page and "scorecard.xlsx?by=product" in page
    product = world[0].product_id
    detail = client.get(f"/improvement/scorecard/product/{product}/").content.decode()
    assert "P2 response" in detail and "P1 response" in detail and "queue" in detail
    assert "/improvement/findings/new/" in detail  # sales may raise a finding from here


def test_the_drill_down_offers_raising_a_finding_only_to_who_may(
    world: list[Promise], victor: User
) -> None:
    client = Client()
    client.force_login(victor)
    detail = client.get(f"/improvement/scorecard/product/{world[0].product_id}/")
    assert detail.status_code == 200
    assert "/improvement/findings/new/" not in detail.content.decode()


@dataclass(frozen=True)
class Score:
    n: int
    mean: float | None
    satisfied: float | None


ASKED: list[tuple[str, Any]] = []


def csat_stub(group_by: str, *, keys: Any, since: Any, until: Any) -> dict[int, Score]:
    """CSAT as the portal would give it: 4 scores, mean 3.5, 3 of 4 satisfied, per product."""
    ASKED.append((group_by, keys))
    if group_by != "product":
        return {}
    return {p.product_id: Score(4, 3.5, 0.75) for p in Promise.objects.all()}


def test_csat_comes_through_the_hook_by_product_only(world: list[Promise], alice: User) -> None:
    with override_settings(SERVICEGATE_CSAT=f"{__name__}.csat_stub"):
        row = scorecard(by="product")[0]
        assert (row.csat_n, row.csat_mean, row.csat_satisfied) == (4, 3.5, 0.75)
        assert scorecard(by="segment")[0].csat_n == 0  # no CSAT by segment: not asked
        assert [g for g, _k in ASKED] == ["product"]
        page = Client()
        page.force_login(alice)
        html = page.get("/improvement/scorecard/?by=product").content.decode()
        assert "3.5 · 75 %" in html and "(4 scores)" in html
        assert (
            'data-testid="csat"'
            not in page.get("/improvement/scorecard/?by=segment").content.decode()
        )
        body = api(alice).get("/api/v1/scorecard?by=product").json()[0]
        assert (body["csat_n"], body["csat_mean"], body["csat_satisfied"]) == (4, 3.5, 0.75)
        text = api(alice).get("/api/v1/scorecard.csv?by=product").content.decode()
        assert list(csv.reader(io.StringIO(text)))[1][-3:] == ["4", "3.5", "0.75"]
        sheet = load_workbook(
            io.BytesIO(api(alice).get("/api/v1/scorecard.xlsx?by=product").content)
        ).active
        assert [c.value for c in sheet[2]][-3:] == [4, 3.5, 0.75]
        assert sheet.cell(row=2, column=11).number_format == "0.0%"
    with override_settings(SERVICEGATE_CSAT="servicegate.nowhere.csat"):
        assert scorecard(by="product")[0].csat_n == 0  # no area collects CSAT: none shown
