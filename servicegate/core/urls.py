from django.urls import path

from servicegate.core import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
