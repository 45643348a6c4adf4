from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "servicegate.catalog"
    label = "catalog"
