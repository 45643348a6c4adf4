"""A service team for the team tests: Dana leads it, Carol is a member (personas: root)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.accounts.services import token_create
from servicegate.team import services
from servicegate.team.models import Team


@pytest.fixture
def team(bob: User, dana: User, carol: User) -> Team:
    """The Munich team: Dana (dispatcher) leads, Carol (technician) is a member."""
    team = services.team_create(
        by=bob, name="Service Süd", vision="No customer waits.", ticket_group="Süd"
    )
    services.team_member_add(team=team, user=dana, role="lead", by=bob)
    services.team_member_add(team=team, user=carol, by=bob)
    return team


def api(user: User) -> Client:
    """A client sending ``user``'s bearer token."""
    return Client(headers={"Authorization": f"Bearer {token_create(user=user)[1]}"})


def send(user: User, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    """Send JSON to the API as ``user``."""
    client = api(user)
    if method == "get":
        return client.get(url, data or {})
    body = json.dumps(data or {})
    return getattr(client, method)(url, body, content_type="application/json")


__all__ = ["Decimal", "api", "send"]
