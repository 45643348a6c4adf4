"""A password change ends every API token issued before it; the profile lists them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.accounts.models import ApiToken
from servicegate.accounts.services import token_create
from servicegate.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_changing_the_password_on_the_page_revokes_the_tokens(bob: User) -> None:
    _token, raw = token_create(user=bob, name="script")
    api = Client()
    headers = {"Authorization": f"Bearer {raw}"}
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    browser = Client()
    browser.force_login(bob)
    response = browser.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    page = browser.get("/accounts/profile/").content.decode()
    assert "script" in page and "revoked" in page


def test_set_password_anywhere_revokes_and_other_saves_do_not(bob: User, carol: User) -> None:
    token_create(user=bob, name="a")
    token_create(user=carol, name="b")
    bob.first_name = "Bob"
    bob.save()
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 2
    bob.set_password("another-long-passphrase-7")
    bob.save()
    assert list(
        ApiToken.objects.filter(revoked_at__isnull=True).values_list("name", flat=True)
    ) == ["b"]
