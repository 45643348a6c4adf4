"""German and English: the browser's language, and a per-user choice that sticks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from servicegate.accounts.models import Profile
from servicegate.core.views import area_placeholder

pytestmark = pytest.mark.django_db


def test_accept_language_german_gives_german_navigation(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "Servicekatalog" in response.content.decode()
    assert 'lang="de"' in response.content.decode()


def test_english_is_the_default(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert "Service catalogue" in response.content.decode()


def test_user_choice_overrides_the_browser_and_is_stored(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.post("/accounts/language/", {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert Profile.objects.get(user=bob).language == "de"
    fresh = Client()
    fresh.force_login(bob)
    page = fresh.get("/", headers={"Accept-Language": "en"}).content.decode()
    assert "Servicekatalog" in page


def test_unknown_language_falls_back_to_the_browser(client: Client, bob: User) -> None:
    client.force_login(bob)
    client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert Profile.objects.get(user=bob).language == ""


def test_language_switch_refuses_foreign_redirects(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.post(
        "/accounts/language/", {"language": "de", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_not_built_areas_say_so_plainly(rf: RequestFactory, bob: User) -> None:
    request = rf.get("/")
    request.user = bob
    response = area_placeholder("improvement")(request)
    assert response.status_code == 200
    assert b"Not built yet." in response.content


def test_dashboard_title_is_plain(client: Client, bob: User) -> None:
    client.force_login(bob)
    page = client.get("/").content.decode()
    title = page[page.index("<title>") + 7 : page.index("</title>")]
    assert title == "Dashboard · Servicegate"
