from django.urls import path

from servicegate.core.views import area_placeholder

app_name = "team"

urlpatterns = [
    path("", area_placeholder("team"), name="index"),
]
