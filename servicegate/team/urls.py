from django.urls import path

from servicegate.team import views

app_name = "team"

urlpatterns = [
    path("", views.index, name="index"),
    path("board/", views.board, name="board"),
    path("board/cards/<int:pk>/move/", views.card_move, name="card_move"),
    path("flow/", views.flow, name="flow"),
    path("skills/", views.skills, name="skills"),
    path("delegation/", views.delegation, name="delegation"),
]
