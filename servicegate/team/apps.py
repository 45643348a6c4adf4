from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "servicegate.team"
    label = "team"
