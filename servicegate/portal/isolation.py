"""Strict isolation of customer contacts: the portal and nothing else.

A customer contact (``selectors.is_portal_user``) may reach only the portal's pages
(the URL namespace ``portal``), the portal's API (``/api/v1/portal/…``), ``/api/v1/me``,
logging in and out (pages and API tokens), the language switch and static files. Every
other path answers 403 — decided by this rule, not by a list of the staff areas, so
pages and endpoints that other areas add later are closed to customers by themselves.
The start page sends a customer contact to the portal.

Sessions are checked by :class:`PortalIsolationMiddleware`; API calls with a bearer
token by the API's authentication (``api.auth``), which calls :func:`refuse_outside`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from servicegate.portal.selectors import customer_of, is_portal_user


@cache
def _open_paths() -> tuple[tuple[str, ...], frozenset[str]]:
    """(prefixes, exact paths) a customer contact may reach."""
    api_root = reverse("api:api-root")
    prefixes = (api_root + "portal/", "/" + settings.STATIC_URL.lstrip("/"))
    exact = frozenset(
        {
            reverse("api:me"),
            reverse("api:auth_token"),
            reverse("accounts:login"),
            reverse("accounts:logout"),
            reverse("accounts:language"),
        }
    )
    return prefixes, exact


def customer_may_reach(path: str) -> bool:
    """Whether a customer contact may request ``path`` (the rule in the module doc)."""
    prefixes, exact = _open_paths()
    if path in exact or path.startswith(prefixes):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return "portal" in match.namespaces


def _message() -> str:
    return _("Customer contacts use the customer portal only; this page is for staff.")


def refuse_outside(request: HttpRequest, user: User | AnonymousUser) -> None:
    """Raise PermissionDenied (403) if ``user`` is a customer contact outside the portal."""
    if not customer_may_reach(request.path) and is_portal_user(user):
        raise PermissionDenied(_message())


class PortalIsolationMiddleware:
    """Answer 403 to a logged-in customer contact anywhere but the portal's paths."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if customer_may_reach(request.path) or not is_portal_user(request.user):
            return self.get_response(request)
        if request.path == "/":
            return redirect("portal:index")
        if request.path.startswith(reverse("api:api-root")):
            return JsonResponse({"detail": _message()}, status=403)
        # the portal's own look, not the staff navigation of the general 403 page
        context = {"message": _message(), "customer": customer_of(request.user)}
        return render(request, "portal/forbidden.html", context, status=403)
