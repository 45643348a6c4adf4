from django.urls import path

from servicegate.operations import views

app_name = "operations"

urlpatterns = [
    path("", views.overview, name="index"),
    path("tickets/", views.ticket_list, name="ticket_list"),
    path("tickets/new/", views.ticket_new, name="ticket_new"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:ticket_id>/assign/", views.ticket_assign, name="ticket_assign"),
    path("tickets/<int:ticket_id>/status/", views.ticket_status, name="ticket_status"),
    path("queue/", views.queue, name="queue"),
    path("my-work/", views.my_work, name="my_work"),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("sites/<int:site_id>/", views.site_detail, name="site_detail"),
    path("import/", views.import_upload, name="import"),
    path("import/jobs/<int:job_id>/", views.import_job, name="import_job"),
]
