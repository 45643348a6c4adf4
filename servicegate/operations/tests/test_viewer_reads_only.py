"""Viewers read every operations page but cannot import; import needs import_data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from servicegate.operations.models import Asset, Ticket

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_viewer_reads_all_pages(
    two_tickets: tuple[Ticket, Ticket], asset: Asset, victor: User
) -> None:
    client = _client(victor)
    ticket = two_tickets[0]
    customer = asset.site.customer
    for url in (
        "/operations/",
        "/operations/tickets/",
        f"/operations/tickets/{ticket.pk}/",
        "/operations/customers/",
        f"/operations/customers/{customer.pk}/",
        f"/operations/sites/{asset.site.pk}/",
        "/api/v1/tickets/",
        "/api/v1/customers/",
        "/api/v1/assets/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona_name", ["victor", "carol", "alice"])
def test_import_needs_import_data(persona: object, persona_name: str) -> None:
    user = persona(persona_name)  # type: ignore[operator]
    client = _client(user)
    assert client.get("/operations/import/").status_code == 403
    upload = SimpleUploadedFile("x.csv", b"number\n")
    response = client.post("/operations/import/", {"format": "servicenow", "file": upload})
    assert response.status_code == 403


def test_user_without_role_cannot_read(persona: object) -> None:
    nobody = persona("nobody")  # type: ignore[operator]
    client = _client(nobody)
    assert client.get("/operations/tickets/").status_code == 403
    assert client.get("/api/v1/tickets/").status_code == 403


def test_service_import_refuses_users_without_import_data(victor: User, tmp_path: object) -> None:
    from pathlib import Path

    from django.core.exceptions import PermissionDenied

    from servicegate.operations.services import tickets_import

    with pytest.raises(PermissionDenied):
        tickets_import(format="servicenow", path=Path("missing.csv"), by=victor)
