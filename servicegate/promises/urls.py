from django.urls import path

from servicegate.promises import views

app_name = "promises"

urlpatterns = [
    path("", views.promise_index, name="index"),
    path("new/", views.promise_new, name="new"),
    path("board/", views.board, name="board"),
    path("gates/", views.gate_list, name="gates"),
    path("gates/<int:pk>/", views.gate_edit, name="gate_edit"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("<int:pk>/", views.promise_detail, name="detail"),
    path("<int:pk>/edit/", views.promise_edit, name="edit"),
    path("<int:pk>/transition/", views.promise_transition, name="transition"),
    path("<int:pk>/revise/", views.promise_revise_view, name="revise"),
    path("<int:pk>/reviews/<str:gate_code>/open/", views.review_open, name="review_open"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/answers/", views.review_answer, name="review_answer"),
    path("reviews/<int:pk>/evidence/", views.review_evidence, name="review_evidence"),
    path("reviews/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
]
