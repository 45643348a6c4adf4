"""Roles are groups whose capabilities follow accounts.roles; boundaries hold."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from servicegate.accounts import roles
from servicegate.conftest import PERSONAS, make_user

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrate() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


@pytest.mark.parametrize("role", roles.ROLES)
def test_group_permissions_match_the_role_table(role: str) -> None:
    group = Group.objects.get(name=role)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == set(roles.ROLE_CAPABILITIES[role])


@pytest.mark.parametrize(("name", "role"), sorted(PERSONAS.items()))
def test_each_role_holds_exactly_its_capabilities(
    persona: Callable[[str], User], name: str, role: str
) -> None:
    user = persona(name)
    for capability in roles.CAPABILITIES:
        expected = capability in roles.ROLE_CAPABILITIES[role]
        assert user.has_perm(f"accounts.{capability}") is expected, capability


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_every_role_reads_the_dashboard(
    client: Client, persona: Callable[[str], User], name: str
) -> None:
    client.force_login(persona(name))
    assert client.get("/").status_code == 200


def test_a_user_without_a_role_gets_the_not_allowed_page(client: Client) -> None:
    client.force_login(make_user("nobody", None))
    response = client.get("/")
    assert response.status_code == 403
    assert b"Not allowed" in response.content
    assert b"Traceback" not in response.content
