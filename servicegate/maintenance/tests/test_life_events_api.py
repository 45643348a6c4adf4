"""`POST /api/v1/assets/{id}/life-events`: failures reported by reactive tickets (and
replacements before failure) feed the reliability fits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.conftest import RoleMatrix
from servicegate.maintenance.models import Component, LifeEvent
from servicegate.operations.models import Asset
from servicegate.operations.ticket_services import ticket_create

pytestmark = pytest.mark.django_db


def _post(user: User, url: str, data: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(url, data, content_type="application/json")


def test_a_failure_reported_by_a_ticket_becomes_a_life_event(
    role_matrix: RoleMatrix, bob: User, pump: Component, make_assets: Callable[[int], list[Asset]]
) -> None:
    press, other = make_assets(2)
    ticket = ticket_create(
        by=bob, title="Pump leaks", customer_id=None, asset_id=press.pk, priority="P2"
    )
    url = f"/api/v1/assets/{press.pk}/life-events"
    data = {"component": "Hydraulic pump", "ticket": ticket.pk}
    role_matrix(
        url, {"*": 403, "dana": 201, "ada": 201, "bob": 201}, method="post", data=data, api=True
    )
    event = LifeEvent.objects.get()  # the same failure again is not a second one
    assert (event.kind, event.at, event.ticket_id) == ("failure", ticket.opened_at, ticket.pk)
    # bad input: one sentence each, nothing written
    for body, sentence in [
        (
            {"component": "Gearbox"},
            "has no component 'Gearbox'; its components are: Hydraulic pump.",
        ),
        ({"component": "Hydraulic pump", "kind": "explosion"}, "is no life event"),
        ({"component": "Hydraulic pump", "at": "2999-01-01T00:00Z"}, "lies in the future"),
    ]:
        response = _post(bob, url, body)
        assert response.status_code == 422 and sentence in response.json()["detail"]
    wrong = _post(bob, f"/api/v1/assets/{other.pk}/life-events", data)
    assert wrong.status_code == 422 and "about another asset" in wrong.json()["detail"]
    assert LifeEvent.objects.count() == 1
