from django.urls import path

from servicegate.core.views import area_placeholder

app_name = "measurement"

urlpatterns = [
    path("", area_placeholder("measurement"), name="index"),
]
