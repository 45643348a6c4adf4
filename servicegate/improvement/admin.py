"""Admin of the KVP register: read-mostly lists (writes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from servicegate.improvement.models import Action, ActionEvent, Finding


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin[Finding]):
    list_display = ("pk", "title", "source", "severity", "status", "promise", "created_at")
    list_filter = ("source", "severity", "status")
    search_fields = ("title",)
    raw_id_fields = ("promise", "product", "customer", "asset", "ticket", "raised_by")


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin[Action]):
    list_display = ("pk", "title", "stage", "owner", "due", "kpi", "verdict")
    list_filter = ("stage", "source", "kpi", "verdict")
    search_fields = ("title",)
    raw_id_fields = ("finding", "owner", "promise", "product", "segment", "customer")


@admin.register(ActionEvent)
class ActionEventAdmin(admin.ModelAdmin[ActionEvent]):
    list_display = ("action", "at", "by", "from_stage", "to_stage")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
