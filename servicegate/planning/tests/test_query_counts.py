"""The planning pages read with a bounded number of queries, however many tickets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from pytest_django import DjangoAssertNumQueries

from servicegate.planning.tests.conftest import login
from servicegate.promises.models import GateReview, Promise


def test_staffing_page(victor: User, django_assert_max_num_queries: DjangoAssertNumQueries) -> None:
    client = login(victor)
    with django_assert_max_num_queries(6):
        assert client.get("/planning/staffing/").status_code == 200


@pytest.mark.parametrize("per_week", [20, 100])
def test_forecast_page(
    victor: User,
    tickets: Callable[..., int],
    per_week: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    tickets(per_week)
    client = login(victor)
    with django_assert_max_num_queries(8):
        assert client.get("/planning/forecast/").status_code == 200


@pytest.mark.parametrize("per_week", [20, 100])
def test_feasibility_panel(
    promise: Promise,
    g1_review: GateReview,
    bob: User,
    team: Callable[[int], list[object]],
    tickets: Callable[..., int],
    per_week: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    team(5)
    tickets(per_week)
    client = login(bob)
    url = f"/planning/promises/{promise.pk}/feasibility/"
    # The history replay of the promise's terms adds a fixed 9 queries (start of the
    # history, contracts, customers' segments, and the tickets and their events, each
    # concatenated by the database inside a savepoint), whatever the number of tickets.
    with django_assert_max_num_queries(25):
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    with django_assert_max_num_queries(39):
        assert client.post(url, {}, headers={"HX-Request": "true"}).status_code == 200
