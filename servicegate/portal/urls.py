"""Pages of the customer portal (built by the issue "Customer portal")."""

from django.urls import URLPattern

app_name = "portal"

urlpatterns: list[URLPattern] = []
