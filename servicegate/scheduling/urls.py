"""URLs of scheduling: the day plan, planning it, urgent tickets, moving a visit, my day."""

from django.urls import path

from servicegate.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("", views.index, name="index"),
    path("plan/", views.plan, name="plan"),
    path("urgent/", views.urgent, name="urgent"),
    path("visits/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("my-day/", views.my_day, name="my_day"),
]
