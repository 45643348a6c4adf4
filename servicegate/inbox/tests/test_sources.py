"""The inbox gathers the items of every configured source, oldest first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from servicegate.conftest import make_user
from servicegate.inbox.items import InboxItem
from servicegate.inbox.selectors import inbox_counts, inbox_for

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def first_source(user: User) -> list[InboxItem]:
    return [InboxItem("a", "A", f"late for {user.username}", "/a", T0 + dt.timedelta(hours=2))]


def second_source(user: User) -> list[InboxItem]:
    return [
        InboxItem("b", "B", "early", "/b", T0, ticket=7),
        InboxItem("a", "A", "middle", "/a2", T0 + dt.timedelta(hours=1), promise=3),
    ]


@override_settings(
    SERVICEGATE_INBOX_SOURCES=[
        "servicegate.inbox.tests.test_sources.first_source",
        "servicegate.inbox.tests.test_sources.second_source",
    ]
)
@pytest.mark.django_db
def test_items_of_all_sources_oldest_first_with_counts() -> None:
    user = make_user("ida", "viewer")
    items = inbox_for(user)
    assert [i.title for i in items] == ["early", "middle", "late for ida"]
    assert inbox_counts(items) == [("b", "B", 1), ("a", "A", 2)]
