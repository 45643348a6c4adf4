from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "servicegate.core"
    label = "core"
