"""URLs of planning: overview, staffing calculator, forecast, a promise's feasibility panel."""

from django.urls import path

from servicegate.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("staffing/", views.staffing, name="staffing"),
    path("forecast/", views.forecast, name="forecast"),
    path("capacity/", views.capacity, name="capacity"),
    path("promises/<int:pk>/feasibility/", views.feasibility_panel, name="feasibility"),
]
