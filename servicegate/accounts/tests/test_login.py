"""Login, logout, password change and the login requirement of every page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from servicegate.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/catalog/",
    "/promises/",
    "/operations/",
    "/measurement/",
    "/improvement/",
    "/planning/",
    "/team/",
    "/calendars/",
    "/accounts/profile/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_anonymous_visitors_to_login(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_login_with_right_password_opens_the_dashboard(client: Client, bob: User) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "bob", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert b"<h1>Servicegate</h1>" in response.content


def test_wrong_password_gets_one_clear_sentence(client: Client, bob: User) -> None:
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_repeated_failures_lock_the_login(client: Client, bob: User) -> None:
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "bob", "password": "nope"})
    # even the right password is refused while locked
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content


def test_logout_needs_post_and_ends_the_session(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a much better passphrase 42",
            "new_password2": "a much better passphrase 42",
        },
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("a much better passphrase 42")


def test_spraying_usernames_from_one_address_is_throttled(client: Client, bob: User) -> None:
    for i in range(5):
        client.post(reverse("accounts:login"), {"username": f"user{i}", "password": "nope"})
    # another address is not affected ...
    other = Client(REMOTE_ADDR="10.0.0.9")
    ok = other.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert ok.status_code == 302
    # ... but this one is locked for every username, the right password included
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    api = client.post(
        "/api/v1/auth/token",
        {"username": "bob", "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 429
