"""List pages and API lists load in a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.promises import services
from servicegate.promises.models import GateDefinition, Promise
from servicegate.promises.tests.conftest import api_client, login


@pytest.fixture
def many(
    alice: User, bob: User, promise_data: dict[str, Any], move: Callable[..., Promise]
) -> None:
    for i in range(12):
        promise = services.promise_create(by=alice, **(promise_data | {"title": f"P{i}"}))
        if i % 2:
            move(promise, "feasibility_review")
            services.gate_review_open(
                gate=GateDefinition.objects.get(code="G1"), promise=promise, by=bob
            )


@pytest.mark.parametrize("url", ["/promises/", "/promises/board/", "/promises/gates/"])
def test_pages(many: None, victor: User, url: str, django_assert_max_num_queries: Any) -> None:
    client = login(victor)
    client.get(url)  # warm the session and content types
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/promises/", "/api/v1/gates/", "/api/v1/promises/1/history"]
)
def test_api_lists(many: None, victor: User, url: str, django_assert_max_num_queries: Any) -> None:
    client = api_client(victor)
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code in (200, 404)
