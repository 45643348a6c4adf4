from django.urls import path

from servicegate.core.views import area_placeholder

app_name = "planning"

urlpatterns = [
    path("", area_placeholder("planning"), name="index"),
]
