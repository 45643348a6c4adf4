from django.urls import path

from servicegate.measurement import views

app_name = "measurement"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("at-risk/", views.at_risk_fragment, name="at_risk"),
    path("attainment/", views.attainment_view, name="attainment"),
    path("promises/<int:promise_id>/", views.promise_measurement, name="promise"),
    path("promises/<int:promise_id>/replay/", views.promise_replay, name="replay"),
    path("promises/<int:promise_id>/recompute/", views.promise_recompute, name="recompute"),
]
