"""The demo step builds assets and a ticket history deterministically from the seed."""

from __future__ import annotations

import numpy as np
import pytest

from servicegate.accounts import demo as demo_accounts
from servicegate.calendars import demo as demo_calendars
from servicegate.catalog import demo as demo_catalog
from servicegate.core.demo import DemoContext
from servicegate.operations.demo import customers as demo_customers
from servicegate.operations.demo import tickets as demo_operations
from servicegate.operations.models import Asset, Ticket, TicketEvent
from servicegate.team import demo as demo_team

pytestmark = pytest.mark.django_db


def _build(seed: int, monkeypatch: pytest.MonkeyPatch) -> DemoContext:
    monkeypatch.setattr(demo_operations, "SMALL_TICKETS", 2_000)
    from servicegate.accounts.services import sync_roles

    sync_roles()
    ctx = DemoContext(
        seed=seed, size="small", rng=np.random.default_rng(seed), report=lambda m: None
    )
    for step in (demo_calendars, demo_catalog, demo_customers, demo_accounts, demo_team):
        step.build(ctx)
    demo_operations.build(ctx)
    return ctx


def test_demo_tickets_follow_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    _build(7, monkeypatch)
    assert 700 <= Asset.objects.count() <= 1300
    live = demo_operations.LIVE_TICKETS + demo_operations.TODAY_TICKETS
    assert Ticket.objects.count() == 2_000 + live
    kinds = set(Ticket.objects.values_list("kind", flat=True))
    assert {"incident", "maintenance"} <= kinds
    assert set(Ticket.objects.values_list("channel", flat=True)) == {"remote", "on_site"}
    assert TicketEvent.objects.filter(status="awaiting_customer").exists()
    statuses = set(TicketEvent.objects.values_list("status", flat=True))
    assert statuses <= {"new", "assigned", "in_progress", "awaiting_customer", "resolved", "closed"}
    weekend = sum(1 for t in Ticket.objects.only("opened_at") if t.opened_at.weekday() >= 5)
    assert weekend < 0.15 * 2_000  # weekday seasonality
    assert Ticket.objects.filter(technician__isnull=False).count() > 1_500


def test_the_live_queue_holds_recent_open_incidents(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime, timedelta

    _build(7, monkeypatch)
    since = datetime.now(UTC) - timedelta(hours=demo_operations.LIVE_HOURS, minutes=5)
    live = Ticket.objects.filter(opened_at__gte=since, kind="incident").exclude(
        status__in=["resolved", "closed", "cancelled"]
    )
    assert live.count() >= demo_operations.LIVE_TICKETS
    # every stage of an open incident is there, and each ticket's status is its last event's
    assert {"new", "assigned", "in_progress", "awaiting_customer"} <= set(
        live.values_list("status", flat=True)
    )
    for ticket in live[:20]:
        assert ticket.events.order_by("-seq").first().status == ticket.status  # type: ignore[union-attr]


def test_todays_work_is_assigned_and_partly_the_technician_logins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import UTC, datetime, timedelta

    ctx = _build(7, monkeypatch)
    since = datetime.now(UTC) - timedelta(hours=demo_operations.TODAY_HOURS, minutes=5)
    ids = Ticket.objects.order_by("-id").values("id")[: demo_operations.TODAY_TICKETS]
    today = Ticket.objects.filter(id__in=ids)
    assert not today.filter(opened_at__lt=since).exists() and not today.filter(title="").exists()
    assert not today.filter(technician__isnull=True).exists()
    login = ctx.objects["technicians"][0]
    assert login.user is not None and today.filter(technician=login).count() >= 5
    assert today.filter(priority="P1", status="assigned", responded_at__isnull=True).exists()


def test_demo_data_refuses_a_database_with_tickets(make_ticket: object) -> None:
    from django.core.management import CommandError, call_command

    make_ticket("T-1")  # type: ignore[operator]
    with pytest.raises(CommandError, match="already holds tickets"):
        call_command("demo_data")
    assert Ticket.objects.count() == 1
