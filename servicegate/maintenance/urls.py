from django.urls import path

from servicegate.core.views import area_placeholder

app_name = "maintenance"

urlpatterns = [
    path("", area_placeholder("maintenance"), name="index"),
]
