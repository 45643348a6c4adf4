from django.urls import path

from servicegate.inbox import views

app_name = "inbox"

urlpatterns = [path("", views.inbox, name="index")]
