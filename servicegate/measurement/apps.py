from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    name = "servicegate.measurement"
    label = "measurement"
