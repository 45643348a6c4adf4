"""A submitted promise reaches the people who must act: inbox items and one e-mail each."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.auth.models import User
from django.core import mail

from servicegate.promises.models import Promise
from servicegate.promises.tests.conftest import api_client, login


def _inbox(user: User) -> list[tuple[str, int | None]]:
    body = api_client(user).get("/api/v1/inbox").json()
    return [(i["kind"], i["promise"]) for i in body]


def _mails_to(user: User) -> list[str]:
    return [str(m.subject) for m in mail.outbox if user.email in m.to]


def test_each_step_puts_the_promise_into_the_inbox_of_who_must_act(
    draft: Promise,
    move: Callable[..., Promise],
    alice: User,
    bob: User,
    quinn: User,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> None:
    for user in (alice, bob, quinn):
        user.email = f"{user.username}@example.com"
        user.save()
    # submitted: a G1 decision waits for the service manager, not for the maker
    with django_capture_on_commit_callbacks(execute=True):
        move(draft, "feasibility_review")
    assert _inbox(bob) == [("g1_decision", draft.pk)]
    assert _inbox(alice) == []
    assert len(_mails_to(bob)) == 1
    assert "G1 decision" in _mails_to(bob)[0]
    assert _mails_to(alice) == []
    # approved and committed: the G3 decision waits
    with django_capture_on_commit_callbacks(execute=True):
        move(draft, "approved", "committed")
    assert _inbox(bob) == [("g3_decision", draft.pk)]
    # in service, then under review: the G4 review is due for quality
    with django_capture_on_commit_callbacks(execute=True):
        move(draft, "in_service", "under_review")
    assert _inbox(quinn) == [("g4_review", draft.pk)]
    assert _inbox(bob) == []
    assert len(_mails_to(bob)) == 2  # G1 and G3, once each
    assert len(_mails_to(quinn)) == 1


def test_a_rejected_promise_returns_to_its_maker_with_the_counter_proposal(
    draft: Promise,
    move: Callable[..., Promise],
    alice: User,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> None:
    alice.email = "alice@example.com"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        move(draft, "feasibility_review", "rejected")
    items = api_client(alice).get("/api/v1/inbox").json()
    assert [i["kind"] for i in items] == ["rejected"]
    assert "8 business hours" in items[0]["title"]
    assert items[0]["url"] == f"/promises/{draft.pk}/"
    assert len(_mails_to(alice)) == 1


def test_dashboard_and_inbox_page_show_the_items_with_counts(
    draft: Promise, move: Callable[..., Promise], bob: User
) -> None:
    move(draft, "feasibility_review")
    client = login(bob)
    page = client.get("/").content.decode()
    assert 'data-testid="inbox-panel"' in page
    assert 'data-kind="g1_decision"' in page
    page = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f'data-promise="{draft.pk}"' in page
    assert "Eingang" in page
