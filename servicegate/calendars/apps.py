from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "servicegate.calendars"
    label = "calendars"
