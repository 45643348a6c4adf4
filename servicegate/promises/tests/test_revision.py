"""Revision of a live promise: a successor draft with a copy of the terms passes the
gates and, on going into service, retires the original; both histories link."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from servicegate.promises.history_text import sentences
from servicegate.promises.models import AuditEntry, Promise
from servicegate.promises.selectors import history
from servicegate.promises.services import promise_update
from servicegate.promises.tests.conftest import api_client, login


def _revise(user: User, promise: Promise) -> tuple[int, dict[str, Any]]:
    response = api_client(user).post(f"/api/v1/promises/{promise.pk}/revise")
    return response.status_code, response.json()


def test_revision_replaces_the_original_once_in_service(
    draft: Promise, move: Callable[..., Promise], alice: User, bob: User
) -> None:
    # given a promise in service
    original = move(draft, "feasibility_review", "approved", "committed", "in_service")
    # when sales revises it
    status, body = _revise(alice, original)
    assert status == 201
    assert body["replaces"] == original.pk
    assert body["state"] == "draft"
    assert body["target_value"] == "4.00"
    successor = Promise.objects.get(pk=body["id"])
    successor = promise_update(
        promise=successor, by=alice, version=successor.version, target_value=Decimal("3")
    )
    # then the successor passes the gates like any promise, the original stays measured
    successor = move(successor, "feasibility_review", "approved", "committed")
    original.refresh_from_db()
    assert original.state == "in_service"
    move(successor, "in_service")
    # and going into service retires the original
    original.refresh_from_db()
    assert original.state == "retired"
    # both histories name each other
    told = " ".join(line for e in _history(original) for line in sentences(e))
    assert f"#{successor.pk}" in told
    assert f"#{original.pk}" in " ".join(line for e in _history(successor) for line in sentences(e))
    page = login(bob).get(f"/promises/{original.pk}/").content.decode()
    assert 'data-testid="promise-successor"' in page
    page = login(bob).get(f"/promises/{successor.pk}/").content.decode()
    assert 'data-testid="promise-replaces"' in page


def _history(promise: Promise) -> list[AuditEntry]:
    return list(history(promise))


def test_only_live_promises_are_revised_once_and_only_by_sales(
    draft: Promise, move: Callable[..., Promise], alice: User, bob: User
) -> None:
    status, body = _revise(alice, draft)
    assert status == 409
    assert "Edit a draft directly" in str(body["detail"])
    original = move(draft, "feasibility_review", "approved", "committed", "in_service")
    assert _revise(bob, original)[0] == 403
    assert _revise(alice, original)[0] == 201
    status, body = _revise(alice, original)
    assert status == 409
    assert "already being revised" in str(body["detail"])


def test_revise_button_on_live_promises_and_g4_review(
    draft: Promise, move: Callable[..., Promise], alice: User, quinn: User
) -> None:
    client = login(alice)
    assert (
        'data-testid="promise-revise"' not in client.get(f"/promises/{draft.pk}/").content.decode()
    )
    original = move(draft, "feasibility_review", "approved", "committed", "in_service")
    assert (
        'data-testid="promise-revise"' in client.get(f"/promises/{original.pk}/").content.decode()
    )
    response = client.post(f"/promises/{original.pk}/revise/")
    successor = Promise.objects.get(replaces=original)
    assert response["Location"] == f"/promises/{successor.pk}/edit/"


def test_revision_history_reads_in_the_readers_language(
    draft: Promise, move: Callable[..., Promise], alice: User
) -> None:
    # given a promise in service, revised by sales writing in English
    original = move(draft, "feasibility_review", "approved", "committed", "in_service")
    status, body = _revise(alice, original)
    assert status == 201
    successor = Promise.objects.get(pk=body["id"])
    move(successor, "feasibility_review", "approved", "committed", "in_service")
    # then a German reader reads both histories in German, with links by number
    old = login(alice).get(f"/promises/{original.pk}/", HTTP_ACCEPT_LANGUAGE="de").content
    new = login(alice).get(f"/promises/{successor.pk}/", HTTP_ACCEPT_LANGUAGE="de").content
    assert f"Überarbeitet durch Versprechen #{successor.pk}.".encode() in old
    assert (
        f"Ersetzt durch Versprechen #{successor.pk}, das in Betrieb gegangen ist.".encode() in old
    )
    assert f"Überarbeitung von Versprechen #{original.pk}.".encode() in new
    assert b"Revision of promise" not in new and b"Revised by promise" not in old
