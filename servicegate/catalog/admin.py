"""Admin registrations of the catalogue (read-mostly; no deletion)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from servicegate.catalog.models import Segment, ServiceProduct


class NoDeleteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Catalogue entries are retired, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Segment)
class SegmentAdmin(NoDeleteAdmin):
    list_display = ("name", "is_active")


@admin.register(ServiceProduct)
class ServiceProductAdmin(NoDeleteAdmin):
    list_display = ("name", "segment", "owner", "kind", "price_model", "channel", "is_active")
    list_filter = ("segment", "kind", "channel", "is_active")
    search_fields = ("name",)
