"""Pages of the customer portal (customer contacts) and the invitations page (staff)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicegate.core.permissions import capability_required
from servicegate.operations.models import Customer, Ticket
from servicegate.portal import selectors, services
from servicegate.portal.errors import PortalRefused
from servicegate.portal.forms import (
    AcceptForm,
    CommentForm,
    FeedbackForm,
    InvitationForm,
    TicketRaiseForm,
)
from servicegate.portal.models import TicketAttachment

View = Callable[..., HttpResponse]


def portal_view(view: Callable[..., HttpResponse]) -> View:
    """A customer contact's page: passes the contact's customer; 403 for anyone else."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_portal_user(request.user):
            raise PermissionDenied(_("The customer portal is for customer contacts."))
        customer = selectors.customer_of(request.user)
        if customer is None:
            raise PermissionDenied(
                _("Your account is not linked to a customer; ask your service contact.")
            )
        return view(request, customer, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, template: str, customer: Customer, **context: Any) -> HttpResponse:
    return render(request, f"portal/{template}", {"customer": customer, **context})


@portal_view
def promises(request: HttpRequest, customer: Customer) -> HttpResponse:
    """My promises: each in plain words, with this customer's attainment and trend."""
    rows = selectors.promise_rows(customer)
    return _page(request, "promises.html", customer, rows=rows, tab="promises")


@portal_view
def tickets(request: HttpRequest, customer: Customer) -> HttpResponse:
    """My tickets, newest first."""
    rows = selectors.tickets_of(customer)[:100]
    return _page(request, "tickets.html", customer, tickets=rows, tab="tickets")


@portal_view
def ticket_new(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Raise a ticket (with an optional attachment)."""
    assets = selectors.assets_of(customer)
    form = TicketRaiseForm(request.POST or None, request.FILES or None, assets=assets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.portal_ticket_raise(
                by=request.user,
                asset_id=data["asset"].pk if data["asset"] else None,
                title=data["title"],
                description=data["description"],
                priority=data["priority"],
                attachment=data["attachment"],
            )
        except PortalRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Ticket %(number)s was raised.") % {"number": ticket.number}
            )
            return redirect("portal:ticket", pk=ticket.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "portal/ticket_new.html",
        {"customer": customer, "form": form, "tab": "tickets"},
        status=status,
    )


def _ticket_or_404(customer: Customer, pk: int) -> Any:
    ticket = selectors.ticket_of(customer, pk)
    if ticket is None:
        raise Http404(_("There is no such ticket of your organisation."))
    return ticket


@portal_view
def ticket(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    """One ticket: status, time left on each clock, comments, attachments, feedback."""
    found = _ticket_or_404(customer, pk)
    return _ticket_page(request, customer, found, CommentForm(), FeedbackForm())


def _ticket_page(
    request: HttpRequest,
    customer: Customer,
    found: Any,
    comment_form: CommentForm,
    feedback_form: FeedbackForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "customer": customer,
        "ticket": found,
        "clocks": selectors.clock_rows(found),
        "comments": found.portal_comments.select_related("author"),
        "attachments": found.portal_attachments.all(),
        "feedback": getattr(found, "portal_feedback", None) if found.feedback_given else None,
        "comment_form": comment_form,
        "feedback_form": feedback_form,
        "tab": "tickets",
    }
    return render(request, "portal/ticket.html", context, status=status)


@require_POST
@portal_view
def ticket_comment(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    found = _ticket_or_404(customer, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(by=request.user, ticket_id=pk, body=form.cleaned_data["body"])
        except PortalRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your comment was added."))
            return redirect("portal:ticket", pk=pk)
    return _ticket_page(request, customer, found, form, FeedbackForm(), status=422)


@require_POST
@portal_view
def ticket_feedback(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    found = _ticket_or_404(customer, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_give(
                by=request.user,
                ticket_id=pk,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except PortalRefused as exc:
            form.add_error(None, str(exc))
            return _ticket_page(request, customer, found, CommentForm(), form, status=exc.status)
        messages.success(request, _("Thank you for your feedback."))
        return redirect("portal:ticket", pk=pk)
    return _ticket_page(request, customer, found, CommentForm(), form, status=422)


@portal_view
def attachment(request: HttpRequest, customer: Customer, pk: int, attachment_pk: int) -> Any:
    found = _ticket_or_404(customer, pk)
    item = found.portal_attachments.filter(pk=attachment_pk).first()
    if item is None:
        raise Http404(_("There is no such attachment."))
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@portal_view
def visits(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Planned visits: preventive work orders ahead."""
    rows = selectors.planned_visits(customer)
    return _page(request, "visits.html", customer, visits=rows, tab="visits")


@portal_view
def offers(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Preventive offers for this customer, once the preventive area makes them."""
    return _offers_page(request, customer)


def _offers_page(
    request: HttpRequest, customer: Customer, *, error: str = "", status: int = 200
) -> HttpResponse:
    rows = selectors.offers_for(customer)
    requested = selectors.requested_offers(customer)
    offers = (
        None
        if rows is None
        else [
            {
                "offer": o,
                "id": selectors.offer_ids(o),
                "requested": selectors.offer_ids(o) in requested,
            }
            for o in rows
        ]
    )
    context = {"customer": customer, "offers": offers, "tab": "offers", "error": error}
    return render(request, "portal/offers.html", context, status=status)


@require_POST
@portal_view
def offer_request(request: HttpRequest, customer: Customer, offer_id: str) -> HttpResponse:
    """Request one of the customer's offers; Sales follows it up."""
    try:
        services.offer_request(by=request.user, offer_id=offer_id)
    except PortalRefused as exc:
        if exc.status == 404:
            raise Http404(str(exc)) from None
        return _offers_page(request, customer, error=str(exc), status=exc.status)
    messages.success(request, _("Thank you: we will prepare the offer for you and be in touch."))
    return redirect("portal:offers")


@capability_required("invite_customers")
def contacts(request: HttpRequest) -> HttpResponse:
    """Staff: the customer contacts and open invitations; invite a contact by e-mail."""
    initial = {"customer": request.GET.get("customer", "")}
    form = InvitationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        base = request.build_absolute_uri(reverse("portal:accept", args=["TOKEN"]))
        try:
            invitation, _link = services.invitation_create(
                by=request.user,
                customer=form.cleaned_data["customer"],
                email=form.cleaned_data["email"],
                link_base=base.removesuffix("TOKEN/"),
            )
        except PortalRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("portal:contacts")
    context = {
        "form": form,
        "contacts": selectors.contacts(),
        "invitations": selectors.invitations_open(),
    }
    return render(request, "portal/contacts.html", context)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time invitation link: choose a user name and password, then log in."""
    try:
        invitation = services.invitation_for_token(token)
    except PortalRefused as exc:
        return render(request, "portal/accept.html", {"error": str(exc)}, status=exc.status)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except PortalRefused as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("portal:index")
    context = {"form": form, "invitation": invitation}
    return render(request, "portal/accept.html", context)


@require_POST
@capability_required("work_tickets")
def staff_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff answer the customer on a ticket's page; back to that page."""
    found = get_object_or_404(Ticket, pk=pk)
    try:
        services.comment_reply(by=request.user, ticket=found, body=request.POST.get("body", ""))
    except PortalRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your reply was added; the customer sees it in the portal."))
    return redirect("operations:ticket_detail", ticket_id=pk)


@capability_required("view_servicegate")
def staff_attachment(request: HttpRequest, pk: int) -> Any:
    """Staff download a file a customer attached."""
    item = get_object_or_404(TicketAttachment, pk=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
