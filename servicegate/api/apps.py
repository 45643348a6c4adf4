from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "servicegate.api"
    label = "api"
