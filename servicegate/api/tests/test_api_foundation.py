"""The API's health check, token life cycle, /me and the OpenAPI document."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client

from servicegate.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def token_for(client: Client, username: str, password: str = PASSWORD) -> str:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    token: str = response.json()["token"]
    return token


def test_health_needs_no_login(client: Client) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_token_then_me_returns_username_and_roles(client: Client, bob: User) -> None:
    token = token_for(client, "bob")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"username": "bob", "roles": ["service_manager"]}


def test_me_without_token_is_401_with_a_sentence(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_me_with_unknown_token_is_401(client: Client) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer sg_not-a-token"})
    assert response.status_code == 401


def test_wrong_password_gives_401_and_no_token(client: Client, bob: User) -> None:
    response = client.post(
        "/api/v1/auth/token",
        {"username": "bob", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password."}


def test_token_endpoint_is_throttled(client: Client, bob: User) -> None:
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": "bob", "password": "wrong"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "bob", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 429


def test_revoked_token_no_longer_works(client: Client, bob: User) -> None:
    token = token_for(client, "bob")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_token_is_stored_only_as_a_hash(client: Client, bob: User) -> None:
    from servicegate.accounts.models import ApiToken

    token = token_for(client, "bob")
    stored = ApiToken.objects.get(user=bob)
    assert token not in stored.key_hash
    assert len(stored.key_hash) == 64


def test_openapi_document_and_docs(client: Client, bob: User) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/health", "/api/v1/auth/token", "/api/v1/me"} <= set(paths)
    client.force_login(bob)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # the Swagger UI comes from the installed package, never from a CDN
    html = docs.content.decode()
    assert "swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert finders.find("ninja/swagger-ui-bundle.js") is not None


def test_session_api_calls_need_csrf_for_writes(bob: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.get("/api/v1/me").status_code == 200
    response = client.delete("/api/v1/auth/token")
    assert response.status_code == 403
