"""Admin for the operations area: installed base editable, tickets and events read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from servicegate.operations.models import Asset, Customer, ImportRun, Site, Ticket, TicketEvent


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ("number", "name", "segment", "is_active")
    search_fields = ("number", "name")
    list_filter = ("segment", "is_active")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ("name", "customer", "city", "region", "timezone")
    search_fields = ("name", "city", "customer__name")
    list_select_related = ("customer",)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin[Asset]):
    list_display = ("product_model", "serial_number", "site", "install_date", "status")
    search_fields = ("serial_number", "product_model")
    list_filter = ("status",)
    list_select_related = ("site__customer",)
    raw_id_fields = ("site",)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Imported history is changed by imports only, never by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("number", "source", "kind", "priority", "status", "opened_at")
    list_filter = ("source", "kind", "status", "priority", "channel")
    search_fields = ("number", "external_id")
    show_full_result_count = False


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "seq", "at", "status", "source_status")
    raw_id_fields = ("ticket",)
    show_full_result_count = False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "format", "file_name", "rows", "events_created", "rejected")
