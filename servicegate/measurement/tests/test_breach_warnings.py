"""Breach warnings: the assignee and the dispatchers hear once per clock and kind."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from servicegate.measurement.models import Notification
from servicegate.measurement.notifications import breach_warnings, inbox_items
from servicegate.measurement.services import clocks_recompute
from servicegate.team.models import Technician


@pytest.fixture
def late_and_warned(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    carol: User,
    dana: User,
    always: Any,
) -> None:
    """A 4-hour promise; carol's ticket is 5 h old (breached), another 3.5 h (warned)."""
    carol.email, dana.email = "carol@example.com", "dana@example.com"
    carol.save()
    dana.save()
    make_promise(target_value=Decimal(4))
    tech = Technician.objects.create(user=carol, name="Carol", home_base="X", calendar=always)
    now = timezone.now()
    make_ticket("LATE", [(0, "new")], opened=now - timedelta(hours=5), technician=tech)
    make_ticket("SOON", [(0, "new")], opened=now - timedelta(hours=3, minutes=30))
    clocks_recompute()


@pytest.mark.django_db
def test_assignee_and_dispatchers_are_notified_once(
    late_and_warned: None,
    carol: User,
    dana: User,
    victor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert breach_warnings() == 5  # LATE: warning + breach to both; SOON: warning to dana
    assert breach_warnings() == 0  # the next minute repeats nothing
    mine = sorted(Notification.objects.filter(user=carol).values_list("ticket__number", "kind"))
    assert mine == [("LATE", "breach"), ("LATE", "warning")]
    assert Notification.objects.filter(user=dana).count() == 3
    assert not Notification.objects.filter(user=victor).exists()
    assert len(mail.outbox) == 5
    assert any("LATE" in m.subject and "breached" in m.subject for m in mail.outbox)
    assert len(inbox_items(carol)) == 2


@pytest.mark.django_db
def test_notifications_api_lists_and_marks_read(late_and_warned: None, carol: User) -> None:
    breach_warnings()
    client = Client()
    client.force_login(carol)
    listed = client.get("/api/v1/notifications").json()["items"]
    assert {n["kind"] for n in listed} == {"warning", "breach"}
    assert not any(n["read"] for n in listed)
    first = listed[0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read").json()["read"] is True
    assert len(inbox_items(carol)) == 1
    other = Notification.objects.exclude(user=carol).first()
    assert other is not None
    assert client.post(f"/api/v1/notifications/{other.pk}/read").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_notify_once(late_and_warned: None) -> None:
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's in-memory test database answers a second writer 'table is locked'"
            " instead of waiting; the PostgreSQL run checks two workers at once"
        )
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            results.append(breach_warnings())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sum(results) == 5
    assert Notification.objects.count() == 5
    assert len(mail.outbox) == 5
