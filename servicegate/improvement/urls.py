from django.urls import path

from servicegate.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.finding_index, name="index"),
    path("findings/new/", views.finding_new, name="finding_new"),
    path("findings/<int:pk>/", views.finding_view, name="finding_detail"),
    path("findings/<int:pk>/close/", views.finding_close_view, name="finding_close"),
    path("actions/", views.action_index, name="actions"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_view, name="action_detail"),
    path("actions/<int:pk>/move/", views.action_move, name="action_move"),
    path("actions/<int:pk>/measure/", views.action_measure, name="action_measure"),
    path("scorecard/", views.scorecard_view, name="scorecard"),
    path("scorecard/<str:by>/<int:key>/", views.scorecard_drill, name="scorecard_drill"),
]
