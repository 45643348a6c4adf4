from django.urls import path

from servicegate.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_index, name="index"),
    path("portfolio/", views.portfolio_view, name="portfolio"),
    path("products/new/", views.product_new, name="product_new"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
]
