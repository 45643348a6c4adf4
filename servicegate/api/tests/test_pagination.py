"""Lists take `?page=` and `?page_size=` and answer `{count, page, page_size, items}`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.catalog.models import Segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def segments(db: None) -> None:
    Segment.objects.bulk_create(Segment(name=f"Segment {i:02}") for i in range(7))


def test_pages_cut_the_list_and_say_where_they_are(
    client: Client, victor: User, segments: None
) -> None:
    client.force_login(victor)
    first = client.get("/api/v1/segments/?page_size=3").json()
    last = client.get("/api/v1/segments/?page=3&page_size=3").json()
    assert (first["count"], first["page"], first["page_size"], len(first["items"])) == (7, 1, 3, 3)
    assert (last["page"], len(last["items"])) == (3, 1)
    names = [s["name"] for s in first["items"] + last["items"]]
    assert len(set(names)) == 4


def test_default_page_size_is_50(client: Client, victor: User, segments: None) -> None:
    client.force_login(victor)
    body = client.get("/api/v1/segments/").json()
    assert (body["page"], body["page_size"], body["count"]) == (1, 50, 7)


@pytest.mark.parametrize("query", ["page_size=501", "page_size=0", "page=0"])
def test_a_page_out_of_bounds_is_refused(client: Client, victor: User, query: str) -> None:
    client.force_login(victor)
    assert client.get(f"/api/v1/segments/?{query}").status_code == 422
