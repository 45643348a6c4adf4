from django.urls import path

from servicegate.core.views import area_placeholder

app_name = "improvement"

urlpatterns = [
    path("", area_placeholder("improvement"), name="index"),
]
