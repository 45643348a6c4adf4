"""The KVP figures on the dashboard and the actions due in their owner's inbox."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.improvement.dashboard import open_findings, running_actions
from servicegate.improvement.inbox import action_items
from servicegate.improvement.services import action_create, finding_create


def test_the_dashboard_counts_open_findings_and_running_actions(carol: User, bob: User) -> None:
    finding_create(by=carol, source="technician", title="A")
    action_create(by=bob, title="B", owner=bob, source="retrospective")
    assert open_findings().context["value"] == 1
    assert running_actions().context["value"] == 1
    client = Client()
    client.force_login(bob)
    page = client.get("/").content.decode()
    assert "open findings" in page and "improvement actions running" in page


def test_the_owner_sees_actions_due_within_two_weeks_others_do_not(carol: User, bob: User) -> None:
    today = timezone.localdate()
    soon = action_create(
        by=carol, title="Soon", owner=carol, source="retrospective", due=today + timedelta(days=3)
    )
    action_create(
        by=carol, title="Later", owner=carol, source="retrospective", due=today + timedelta(days=60)
    )
    items = action_items(carol)
    assert [i.url for i in items] == [f"/improvement/actions/{soon.pk}/"]
    assert "Soon" in items[0].title and items[0].label == "Action due"
    assert action_items(bob) == []
    client = Client()
    client.force_login(carol)
    assert "Soon" in client.get("/inbox/").content.decode()
