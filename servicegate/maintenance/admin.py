"""Admin registrations of preventive services (reading; writes go through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from servicegate.maintenance.models import (
    AssetModel,
    Component,
    Counter,
    LifeEvent,
    PreventivePlan,
    PreventiveTerms,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Shown for reading: plans, readings and life events are written by the services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AssetModel)
class AssetModelAdmin(ReadOnlyAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Component)
class ComponentAdmin(ReadOnlyAdmin):
    list_display = ("asset_model", "name", "component_class", "downtime_hours")
    list_filter = ("component_class",)


@admin.register(LifeEvent)
class LifeEventAdmin(ReadOnlyAdmin):
    list_display = ("asset", "component", "kind", "at", "source")
    list_filter = ("kind", "source")


@admin.register(Counter)
class CounterAdmin(ReadOnlyAdmin):
    list_display = ("asset", "name", "unit", "last_value", "last_at")


@admin.register(PreventiveTerms)
class PreventiveTermsAdmin(ReadOnlyAdmin):
    list_display = ("product", "asset_model", "work_kind", "interval_days", "duration_minutes")


@admin.register(PreventivePlan)
class PreventivePlanAdmin(ReadOnlyAdmin):
    list_display = ("product", "customer", "starts_on", "months", "status")
    list_filter = ("status",)
