"""Core pages: the dashboard and the plain "not built yet" page of an area."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicegate.core.dashboard import dashboard_panels, dashboard_sections
from servicegate.core.navigation import AREAS
from servicegate.core.permissions import capability_required


@capability_required("view_servicegate")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The start page: the apps' panels (key figures) and the areas of Servicegate."""
    context = {"panels": dashboard_panels(), "sections": dashboard_sections(request.user)}
    return render(request, "core/dashboard.html", context)


def area_placeholder(area_key: str) -> Callable[[HttpRequest], HttpResponse]:
    """Build a view that says plainly that the area ``area_key`` is not built yet."""
    area = next(a for a in AREAS if a.key == area_key)

    @capability_required("view_servicegate")
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, "core/placeholder.html", {"area": area})

    view.__name__ = f"{area_key}_placeholder"
    return view
