"""Viewers read measurement; recomputing needs plan_capacity or lead_improvement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client

from servicegate.core.models import Job
from servicegate.measurement.services import clocks_recompute, clocks_recompute_start
from servicegate.measurement.tests.conftest import NOW


@pytest.fixture
def measured(make_promise: Callable[..., Any], make_ticket: Callable[..., Any]) -> Any:
    promise = make_promise()
    ticket = make_ticket("T-1", [(0, "new"), (60, "resolved")])
    clocks_recompute(now=NOW)
    return promise, ticket


def test_viewer_reads_pages_and_api(client: Client, victor: User, measured: Any) -> None:
    promise, ticket = measured
    client.force_login(victor)
    for url in (
        "/measurement/",
        "/measurement/?period=week&fragment=charts",
        "/measurement/at-risk/",
        f"/measurement/promises/{promise.pk}/",
        f"/measurement/promises/{promise.pk}/?target_value=8&target_unit=hours"
        f"&calendar={promise.calendar_id}&period=month",
        f"/operations/tickets/{ticket.pk}/",
        f"/api/v1/tickets/{ticket.pk}/clocks",
        "/api/v1/attainment?group_by=segment&period=quarter",
        "/api/v1/at-risk",
    ):
        assert client.get(url).status_code == 200, url
    assert "Recompute clocks" not in client.get(f"/measurement/promises/{promise.pk}/").text


def test_viewer_cannot_recompute(client: Client, victor: User, measured: Any) -> None:
    promise, _ticket = measured
    jobs = Job.objects.count()
    client.force_login(victor)
    assert client.post(f"/measurement/promises/{promise.pk}/recompute/").status_code == 403
    with pytest.raises(PermissionDenied, match="Only a service manager or quality manager"):
        clocks_recompute_start(by=victor, promise=promise)
    assert Job.objects.count() == jobs


def test_service_manager_recomputes(
    client: Client, bob: User, measured: Any, django_capture_on_commit_callbacks: Any
) -> None:
    promise, _ticket = measured
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/measurement/promises/{promise.pk}/recompute/")
    assert response.status_code == 302
    job = Job.objects.filter(kind="clocks_recompute", created_by=bob).get()
    assert job.status == Job.Status.SUCCEEDED


def test_anonymous_is_sent_away(client: Client, measured: Any) -> None:
    assert client.get("/measurement/").status_code in (302, 403)
    assert client.get("/api/v1/attainment").status_code == 401


def test_api_refuses_bad_group(client: Client, victor: User, measured: Any) -> None:
    client.force_login(victor)
    response = client.get("/api/v1/attainment?group_by=colour")
    assert response.status_code == 422
