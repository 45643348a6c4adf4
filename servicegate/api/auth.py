"""API authentication: bearer tokens, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from servicegate.accounts.services import token_authenticate
from servicegate.portal.isolation import refuse_outside


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token issued by `/api/v1/auth/token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        refuse_outside(request, api_token.user)  # customer contacts: the portal only
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods need the CSRF token."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing to protect from cross-site
        # requests: answer 401 (no credentials), not 403 (CSRF).
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        return None


API_AUTH = [BearerToken(), SessionAuth(csrf=True)]
