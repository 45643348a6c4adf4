"""Login, logout, password change, language choice and personal API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicegate.accounts import selectors, services
from servicegate.accounts.models import ApiToken


class LoginView(auth_views.LoginView):
    """Django's login view; tells demo visitors the demo logins."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo"] = settings.DEMO
        return context


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language for this user (stored in the profile) and browser."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = ""
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    services.profile_set_language(user=request.user, language=language)  # type: ignore[arg-type]
    response = HttpResponseRedirect(next_url)
    if language:
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


def profile(request: HttpRequest) -> HttpResponse:
    """The user's own page: roles, language, API tokens."""
    tokens = ApiToken.objects.filter(user=request.user)  # type: ignore[misc]
    context = {
        "roles": selectors.user_roles(request.user),
        "tokens": tokens,
        "new_key": request.session.pop("new_api_key", None),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Issue an API token; its key is shown once on the profile page."""
    _token, raw = services.token_create(
        user=request.user,  # type: ignore[arg-type]
        name=request.POST.get("name", ""),
    )
    request.session["new_api_key"] = raw
    messages.success(request, _("A new API token was created. Copy it now: it is shown once."))
    return redirect("accounts:profile")


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token)
    messages.success(request, _("The API token was revoked."))
    return redirect("accounts:profile")
