from django.urls import path

from servicegate.core.views import area_placeholder

app_name = "scheduling"

urlpatterns = [
    path("", area_placeholder("scheduling"), name="index"),
]
