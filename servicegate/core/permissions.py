"""Capability checks for views: one decorator, one mixin, one error page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def has_capability(user: User | AnonymousUser, capability: str) -> bool:
    """Return whether ``user`` holds the capability (see ``accounts.roles``)."""
    return bool(user.is_authenticated and user.has_perm(f"accounts.{capability}"))


def require_capability(user: User | AnonymousUser, capability: str) -> None:
    """Raise PermissionDenied (shown as the "not allowed" page) unless ``user`` may."""
    if not has_capability(user, capability):
        raise PermissionDenied(capability)


def capability_required(capability: str) -> Callable[[F], F]:
    """View decorator: answer 403 with the "not allowed" page unless the user may."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require_capability(request.user, capability)
            return view(request, *args, **kwargs)

        return cast(F, wrapped)

    return decorator


class CapabilityRequiredMixin:
    """Class-based view mixin: set ``capability`` to the codename required."""

    capability: str = "view_servicegate"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_capability(request.user, self.capability)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]
