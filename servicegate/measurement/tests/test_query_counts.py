"""The dashboard, the promise page and the API read with a bounded number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, T0


def _world(make_promise: Callable[..., Any], make_ticket: Callable[..., Any], n: int) -> Any:
    promise = make_promise()
    make_promise(metric="first_response")
    for i in range(n):
        make_ticket(
            f"T-{i}",
            [(0, "new"), (30 + 20 * i, "in_progress"), (400, "resolved")],
            opened=T0 + timedelta(days=i),
        )
    make_ticket("OPEN", [(0, "new")], opened=NOW - timedelta(hours=3))
    clocks_recompute(now=NOW)
    return promise


def test_dashboard_queries_do_not_grow(
    client: Client,
    victor: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    promise = _world(make_promise, make_ticket, 12)
    client.force_login(victor)
    with django_assert_max_num_queries(14):  # 13 and the figures' generation
        assert client.get("/measurement/").status_code == 200
    with django_assert_max_num_queries(7):  # the figures come from the cache
        assert client.get("/measurement/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/measurement/promises/{promise.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/attainment?group_by=team&period=month").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/at-risk?hours=24").status_code == 200
