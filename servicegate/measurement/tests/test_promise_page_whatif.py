"""The promise measurement page's what-if: start, stop and reopen rules in the form, the
period optional, the Total row with n and met; the replay page of any promise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from servicegate.conftest import RoleMatrix
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import BASE, NOW


def _page(client: Client, promise: Any, **params: Any) -> str:
    base = {"target_value": "4", "target_unit": "hours", "calendar": promise.calendar_id}
    response = client.get(f"/measurement/promises/{promise.pk}/", {**base, **params})
    assert response.status_code == 200
    return response.text


def test_the_form_offers_every_term_and_needs_no_period(
    client: Client, victor: User, make_promise: Callable[..., Any], replay_tickets: None
) -> None:
    promise = make_promise(**BASE)
    clocks_recompute(now=NOW)
    client.force_login(victor)
    # when the link names only the target (no period, no status lists)
    html = _page(client, promise)
    # then the default period is used and the promise's own rules: 3 of 6 met
    for name in ("start_statuses", "pause_statuses", "stop_statuses", "reopen", "period"):
        assert f'name="{name}"' in html
    total = html[html.index('data-testid="whatif-total"') :]
    assert "50.0 % (3/6)" in total[:600]
    # and each rule from the form changes the replay as computed by hand
    form = {"terms": "1", "start_statuses": "new", "stop_statuses": ["resolved", "closed"]}
    cases = [
        ({**form, "reopen": "new_cycle"}, "66.7 % (4/6)"),  # D: two cycles, each met
        ({**form, "reopen": "resume", "stop_statuses": "closed"}, "16.7 % (1/6)"),  # F only
        ({**form, "reopen": "resume", "pause_statuses": "awaiting_customer"}, "66.7 % (4/6)"),
        (
            {
                "terms": "1",
                "start_statuses": "assigned",
                "stop_statuses": ["resolved", "closed"],
                "reopen": "resume",
            },
            "100.0 % (1/1)",
        ),
    ]
    for params, figure in cases:
        html = _page(client, promise, **params)
        total = html[html.index('data-testid="whatif-total"') :]
        assert figure in total[:600], params


def test_the_replay_page_replays_a_draft(
    client: Client, victor: User, make_promise: Callable[..., Any], replay_tickets: None
) -> None:
    draft = make_promise(state="draft", **BASE)
    client.force_login(victor)
    html = client.get(f"/measurement/promises/{draft.pk}/replay/").text
    assert "6 tickets in scope" in html and "3 of 6 decided" in html
    bad = client.get(
        f"/measurement/promises/{draft.pk}/replay/",
        {
            "terms": "1",
            "target_value": "4",
            "target_unit": "hours",
            "calendar": draft.calendar_id,
            "reopen": "resume",
            "start": "2026-03-20",
        },
    ).text
    assert "No ticket in this promise&#x27;s scope was opened between 2026-03-20" in bad


def test_every_staff_role_opens_the_replay_page_no_one_else(
    role_matrix: RoleMatrix,
    persona: Callable[[str], User],
    make_promise: Callable[..., Any],
    replay_tickets: None,
) -> None:
    draft = make_promise(state="draft", **BASE)
    role_matrix(f"/measurement/promises/{draft.pk}/replay/", {"*": 200})
    client = Client()
    client.force_login(persona("nobody"))
    assert client.get(f"/measurement/promises/{draft.pk}/replay/").status_code == 403
