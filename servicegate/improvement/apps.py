from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "servicegate.improvement"
    label = "improvement"
