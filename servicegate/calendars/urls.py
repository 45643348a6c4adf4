from django.urls import path

from servicegate.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.calendar_list, name="index"),
    path("new/", views.calendar_edit, name="create"),
    path("<int:pk>/", views.calendar_detail, name="detail"),
    path("<int:pk>/edit/", views.calendar_edit, name="edit"),
    path("<int:pk>/calendar.toml", views.calendar_download, name="download"),
]
