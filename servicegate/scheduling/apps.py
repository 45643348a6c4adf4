from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "servicegate.scheduling"
    label = "scheduling"
