from django.contrib import admin

from servicegate.calendars.models import BusinessCalendar, CalendarRevision


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin[BusinessCalendar]):
    list_display = ["name", "timezone", "is_active", "updated_at"]


@admin.register(CalendarRevision)
class CalendarRevisionAdmin(admin.ModelAdmin[CalendarRevision]):
    list_display = ["calendar", "changed_by", "changed_at", "comment"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # history is append-only

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
