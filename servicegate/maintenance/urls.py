from django.urls import path

from servicegate.maintenance import views

app_name = "maintenance"

urlpatterns = [
    path("", views.index, name="index"),
    path("reliability/", views.reliability, name="reliability"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path(
        "customers/<int:customer_id>/offers/",
        views.customer_offers_view,
        name="customer_offers",
    ),
    path(
        "customers/<int:customer_id>/offers/<str:offer_id>/accept/",
        views.offer_accept,
        name="offer_accept",
    ),
    path(
        "customers/<int:customer_id>/offers/<str:offer_id>/proposal.pdf",
        views.offer_proposal,
        name="offer_proposal",
    ),
]
