from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "servicegate.portal"
    label = "portal"
