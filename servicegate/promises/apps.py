from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "servicegate.promises"
    label = "promises"
