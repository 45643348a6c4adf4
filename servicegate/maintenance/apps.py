from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "servicegate.maintenance"
    label = "maintenance"
