from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "servicegate.planning"
    label = "planning"
