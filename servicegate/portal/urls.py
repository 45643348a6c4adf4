"""Pages of the customer portal under /portal/ (customer contacts; invitations for staff)."""

from django.urls import path

from servicegate.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.promises, name="index"),
    path("tickets/", views.tickets, name="tickets"),
    path("tickets/new/", views.ticket_new, name="ticket_new"),
    path("tickets/<int:pk>/", views.ticket, name="ticket"),
    path("tickets/<int:pk>/comment/", views.ticket_comment, name="ticket_comment"),
    path("tickets/<int:pk>/feedback/", views.ticket_feedback, name="ticket_feedback"),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("visits/", views.visits, name="visits"),
    path("offers/", views.offers, name="offers"),
    path("offers/<str:offer_id>/request/", views.offer_request, name="offer_request"),
    path("contacts/", views.contacts, name="contacts"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("staff/tickets/<int:pk>/reply/", views.staff_reply, name="staff_reply"),
    path("staff/attachments/<int:pk>/", views.staff_attachment, name="staff_attachment"),
]
