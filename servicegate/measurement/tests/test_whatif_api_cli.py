"""`GET /api/v1/promises/{id}/whatif` and `servicegate whatif PROMISE_ID` agree; bad
input is 422 with one sentence, or exit 2 with the same sentence."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from servicegate.calendars.models import BusinessCalendar
from servicegate.conftest import RoleMatrix
from servicegate.measurement.tests.conftest import BASE
from servicegate.promises.models import Promise


@pytest.fixture
def draft(make_promise: Callable[..., Any], replay_tickets: None) -> Promise:
    return make_promise(state="draft", **BASE)  # type: ignore[no-any-return]


def _cli(*args: str) -> str:
    out = StringIO()
    call_command("whatif", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("", []),
        ("?period=week", ["--period", "week"]),
        ("?target_value=5.5&target_unit=hours", ["--target", "5.5h"]),
        ("?target_value=1&target_unit=business_days", ["--target", "1bd"]),
        ("?pause_statuses=awaiting_customer", ["--pause-statuses", "awaiting_customer"]),
        ("?start_statuses=assigned", ["--start-statuses", "assigned"]),
        ("?stop_statuses=closed&reopen=new_cycle", ["--stop-statuses", "closed"]),
        ("?from=2026-03-03&to=2026-03-05&period=month", ["--from", "2026-03-03"]),
    ],
)
def test_cli_and_api_agree(
    client: Client, victor: User, draft: Promise, query: str, options: list[str]
) -> None:
    client.force_login(victor)
    if "reopen" in query:
        options += ["--reopen", "new_cycle"]
    if "to=" in query:
        options += ["--to", "2026-03-05", "--period", "month"]
    # when
    response = client.get(f"/api/v1/promises/{draft.pk}/whatif{query}")
    body = json.loads(_cli(str(draft.pk), *options, "--json"))
    # then
    assert response.status_code == 200, response.json()
    assert response.json() == body
    assert {"n", "met", "rate", "ci_low", "ci_high", "kept", "not_started", "periods"} <= set(body)


def test_the_figures_of_the_issue(client: Client, victor: User, draft: Promise) -> None:
    client.force_login(victor)
    body = client.get(f"/api/v1/promises/{draft.pk}/whatif?period=week").json()
    assert (body["n"], body["met"], body["rate"], body["kept"]) == (6, 3, 0.5, False)
    assert [(p["period"], p["n"], p["met"]) for p in body["periods"]] == [("2026-03-02", 6, 3)]
    assert (body["from"], body["tickets"], body["not_started"]) == ("2026-03-02", 6, 0)


def test_csv_and_text(draft: Promise, office: BusinessCalendar) -> None:
    lines = _cli(str(draft.pk), "--csv", "--period", "month").splitlines()
    assert lines[0] == "period,n,met,rate,ci_low,ci_high"
    assert lines[1].startswith("total,6,3,0.5000,")
    assert lines[2].startswith("2026-03-01,6,3,0.5000,")
    text = _cli(str(draft.pk), "--calendar", str(office.pk))
    assert "kept on 66.7 % of tickets" in text and "against the 90.0 % promised" in text


BAD = [
    ("?calendar=999", ["--calendar", "999"], "There is no business calendar with id 999"),
    ("?pause_statuses=sleeping", ["--pause-statuses", "sleeping"], "sleeping is no ticket status"),
    ("?from=2026-02-01", ["--from", "2026-02-01"], "before the ticket history"),
    ("?from=2026-03-20", ["--from", "2026-03-20"], "No ticket in this promise's scope"),
    ("?from=yesterday", ["--from", "yesterday"], "is no day; write it as YYYY-MM-DD"),
    ("?target_unit=percent", ["--target", "90%"], "target"),
    ("?period=decade", ["--period", "decade"], "decade is no period"),
]


@pytest.mark.parametrize(("query", "options", "sentence"), BAD)
def test_bad_input_is_422_or_exit_2_with_one_sentence(
    client: Client, victor: User, draft: Promise, query: str, options: list[str], sentence: str
) -> None:
    client.force_login(victor)
    response = client.get(f"/api/v1/promises/{draft.pk}/whatif{query}")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert sentence in detail and detail.endswith(".") and detail.count(". ") == 0
    with pytest.raises(CommandError) as raised:
        _cli(str(draft.pk), *options)
    assert raised.value.returncode == 2 and sentence in str(raised.value)


def test_a_target_without_a_time_unit(client: Client, victor: User, draft: Promise) -> None:
    client.force_login(victor)
    response = client.get(f"/api/v1/promises/{draft.pk}/whatif?target_unit=percent")
    assert "A replay needs a time target" in response.json()["detail"]
    with pytest.raises(CommandError, match="90% is no target; write a number and a unit"):
        _cli(str(draft.pk), "--target", "90%")


def test_an_unknown_promise(client: Client, victor: User) -> None:
    client.force_login(victor)
    response = client.get("/api/v1/promises/999/whatif")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no promise with id 999."}
    with pytest.raises(CommandError, match="There is no promise with id 999") as raised:
        _cli("999")
    assert raised.value.returncode == 2


def test_every_staff_role_may_replay_no_one_else(
    role_matrix: RoleMatrix, persona: Callable[[str], User], draft: Promise
) -> None:
    role_matrix(f"/api/v1/promises/{draft.pk}/whatif", {"*": 200}, api=True)
    client = Client()
    client.force_login(persona("nobody"))
    assert client.get(f"/api/v1/promises/{draft.pk}/whatif").status_code == 403
