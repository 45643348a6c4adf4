"""Admin registrations: read-only views of promises, gates and the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from servicegate.promises.models import AuditEntry, Contract, GateDefinition, GateReview, Promise


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Changes go through the services (audit trail, lifecycle); the admin only reads."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Promise)
class PromiseAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "product", "state", "made_by", "version")
    list_filter = ("state", "metric")


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("number", "customer", "starts_on", "ends_on")


@admin.register(GateDefinition)
class GateDefinitionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "owner_role", "is_active")


@admin.register(GateReview)
class GateReviewAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "decision", "reviewer", "decided_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "content_type", "object_id")
