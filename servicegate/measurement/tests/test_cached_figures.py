"""The dashboard serves its figures from the cache, and never one a write has changed.

The figures are kept under the generation of ``measurement.figures``; every write that
changes them (a ticket event through the ticket services, a recomputation, a change of a
promise or of the names it is shown with) gives a new generation in its transaction.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

from servicegate.catalog.models import Segment
from servicegate.measurement import figures
from servicegate.measurement.services import clocks_recompute, summary_rebuild
from servicegate.operations.ticket_services import ticket_event_append
from servicegate.promises.models import Promise


def _row(client: Client, promise: Promise) -> str:
    """The promise's row of the attainment table, as text."""
    html = client.get("/measurement/").content.decode()
    table = html[html.index('data-testid="attainment-per-promise"') :]
    table = table[: table.index("</table>")]
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in table.split("<tr>")]
    [row] = [r for r in rows if r.startswith(str(promise))]
    return row


def _world(make_promise: Callable[..., Promise], make_ticket: Callable[..., Any]) -> Promise:
    """A 4 h resolution promise at 90 %: one ticket resolved in 1 h, one still open."""
    promise = make_promise(target_value=Decimal(4), attainment_percent=Decimal(90))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    make_ticket("DONE", [(0, "new"), (60, "resolved")], opened=an_hour_ago - timedelta(days=1))
    make_ticket("OPEN", [(0, "new")], opened=an_hour_ago)
    clocks_recompute()
    return promise


def test_a_ticket_event_shows_in_attainment_on_the_next_request(
    client: Client,
    victor: User,
    dana: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    # given the dashboard showing one decided clock, twice (the second from the cache)
    promise = _world(make_promise, make_ticket)
    client.force_login(victor)
    assert _row(client, promise).startswith(f"{promise} {promise.scope} 1 100.0 %")
    with django_assert_max_num_queries(7):
        assert _row(client, promise).startswith(f"{promise} {promise.scope} 1 100.0 %")
    # when the open ticket is resolved through the ticket services (its clock follows)
    ticket = promise.clocks.get(ticket__number="OPEN").ticket
    ticket_event_append(ticket=ticket, by=dana, status="resolved")
    # then the next request counts its clock: two decided, both met
    assert _row(client, promise).startswith(f"{promise} {promise.scope} 2 100.0 %")


def test_a_recomputation_or_rebuild_in_another_process_shows_at_once(
    client: Client,
    victor: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
) -> None:
    promise = _world(make_promise, make_ticket)
    client.force_login(victor)
    assert " 1 100.0 %" in _row(client, promise)
    # when the worker recomputes after a late event was imported into the open ticket
    ticket = promise.clocks.get(ticket__number="OPEN").ticket
    ticket.events.create(seq=2, at=timezone.now() - timedelta(minutes=1), status="resolved")
    ticket.status = "resolved"
    ticket.save()
    before = figures.generation()
    clocks_recompute(tickets=[ticket.pk])
    # then the figures have a new generation and the page shows the clock
    assert figures.generation() != before
    assert " 2 100.0 %" in _row(client, promise)
    before = figures.generation()
    summary_rebuild()
    assert figures.generation() != before


def test_a_promise_change_shows_at_once(
    client: Client,
    victor: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
) -> None:
    promise = _world(make_promise, make_ticket)
    client.force_login(victor)
    assert "90 % kept" in _row(client, promise)
    # when the promised level is raised (a revision through G4 would do the same)
    promise.attainment_percent = Decimal(99)
    promise.save()
    # then the cached row is not served: the statement and the level change
    assert "99 % kept" in _row(client, promise)


def test_a_renamed_segment_shows_at_once(
    client: Client,
    victor: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
) -> None:
    promise = _world(make_promise, make_ticket)
    client.force_login(victor)
    assert promise.segment is not None
    assert f"· {promise.segment.name} " in _row(client, promise)
    segment = Segment.objects.get(pk=promise.segment_id)
    segment.name = "Renamed segment"
    segment.save()
    assert "· Renamed segment " in _row(client, promise)


def test_each_language_and_filter_has_its_own_figures(
    client: Client,
    victor: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
) -> None:
    promise = _world(make_promise, make_ticket)
    other = make_promise(metric="first_response", attainment_percent=Decimal(80))
    client.force_login(victor)
    english = client.get("/measurement/").content.decode()
    german = client.get("/measurement/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Attainment per promise" in english
    assert "Erfüllungsgrad je Versprechen" in german
    only = client.get(f"/measurement/?promise={promise.pk}").content.decode()
    table = only[only.index('data-testid="attainment-per-promise"') :]
    assert f"/measurement/promises/{other.pk}/" not in table
    assert f"/measurement/promises/{promise.pk}/" in table


def test_the_cached_dashboard_reads_a_fixed_number_of_rows(
    client: Client,
    victor: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(6):
        make_promise(target_value=Decimal(1 + i))
    for i in range(30):
        make_ticket(f"T-{i}", [(0, "new"), (20 * i, "resolved")])
    clocks_recompute()
    client.force_login(victor)
    with django_assert_max_num_queries(14):  # the figures computed once
        assert client.get("/measurement/").status_code == 200
    with django_assert_max_num_queries(7):  # session, user, profile, rights, generation
        assert client.get("/measurement/").status_code == 200
    # the charts alone (a filter changed on the page) are kept on their own
    charts = client.get("/measurement/?fragment=charts&period=week", HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(6):
        again = client.get("/measurement/?fragment=charts&period=week", HTTP_HX_REQUEST="true")
    assert again.content == charts.content
    assert b"<svg" in again.content


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/15").ping())
    except redis.exceptions.ConnectionError:
        return False


def test_a_shared_redis_cache_serves_the_figures_until_a_write(
    client: Client,
    victor: User,
    dana: User,
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    """SERVICEGATE_CACHE=redis: every server process reads the figures another computed."""
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis on 127.0.0.1:6379 is required in CI.")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # never clear(): the database is shared
        }
    }
    promise = _world(make_promise, make_ticket)
    client.force_login(victor)
    with override_settings(CACHES=shared):
        assert " 1 100.0 %" in _row(client, promise)
        with django_assert_max_num_queries(7):
            assert " 1 100.0 %" in _row(client, promise)
        ticket = promise.clocks.get(ticket__number="OPEN").ticket
        ticket_event_append(ticket=ticket, by=dana, status="resolved")
        assert " 2 100.0 %" in _row(client, promise)
