from django.urls import path

from servicegate.team import reflection_views, views

app_name = "team"

urlpatterns = [
    path("", views.index, name="index"),
    path("board/", views.board, name="board"),
    path("board/cards/<int:pk>/move/", views.card_move, name="card_move"),
    path("board/columns/<int:pk>/limit/", views.column_limit, name="column_limit"),
    path("flow/", views.flow, name="flow"),
    path("skills/", views.skills, name="skills"),
    path("delegation/", views.delegation, name="delegation"),
]

urlpatterns += [
    path("retrospectives/", reflection_views.retros, name="retros"),
    path("feedback/", reflection_views.feedback, name="feedback"),
    path("initiatives/", reflection_views.initiatives, name="initiatives"),
    path("initiatives/<int:pk>/", reflection_views.initiative, name="initiative"),
    path("knowledge/", reflection_views.knowledge, name="knowledge"),
]
