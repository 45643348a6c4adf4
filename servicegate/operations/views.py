"""Pages of the operations area: overview, tickets, installed base, imports."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicegate.core.jobs import job_start
from servicegate.core.models import Job
from servicegate.core.permissions import capability_required, has_capability
from servicegate.operations import selectors, ticket_services
from servicegate.operations.choices import Channel, Priority, TicketKind, TicketStatus
from servicegate.operations.errors import TicketRefused
from servicegate.operations.forms import (
    AssignForm,
    ImportForm,
    StatusForm,
    TicketForm,
    upload_too_large,
)
from servicegate.operations.models import Customer, Ticket

PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() else 1


@capability_required("view_servicegate")
def overview(request: HttpRequest) -> HttpResponse:
    """Counts of the installed base and tickets, and the latest imports."""
    return render(
        request,
        "operations/overview.html",
        {
            "overview": selectors.operations_overview(request.user),
            "can_import": has_capability(request.user, "import_data"),
            "nav_active": "operations",
        },
    )


@capability_required("view_servicegate")
def ticket_list(request: HttpRequest) -> HttpResponse:
    """Tickets with filters, newest first, paginated without counting the table."""
    filters = {key: request.GET.get(key, "") for key in selectors.FILTERS}
    tickets = selectors.ticket_list(request.user, filters)
    page = selectors.page_of(tickets, _page_number(request), PAGE_SIZE)
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "operations/ticket_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "kinds": TicketKind.choices,
            "statuses": TicketStatus.choices,
            "priorities": Priority.choices,
            "channels": Channel.choices,
            "customers": Customer.objects.only("id", "name").order_by("name"),
            "sources": selectors.ticket_sources(),
            "own_only": selectors.sees_own_tickets_only(request.user),
            "nav_active": "operations",
        },
    )


@capability_required("view_servicegate")
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """A ticket, its event timeline and what was written to it; the forms to work it."""
    ticket = selectors.ticket_detail(request.user, ticket_id)
    if ticket is None:
        raise Http404(_("There is no such ticket, or it is not assigned to you."))
    assign = status = None
    if ticket_services.may_dispatch(request.user):
        assign = AssignForm(
            initial={
                "technician": ticket.technician_id,
                "assignment_group": ticket.assignment_group,
                "priority": ticket.priority,
            }
        )
    if ticket_services.may_work(request.user, ticket):
        status = StatusForm(initial={"status": ticket.status})
    return render(
        request,
        "operations/ticket_detail.html",
        {
            "ticket": ticket,
            "changes": selectors.ticket_changes(ticket),
            "assign_form": assign,
            "status_form": status,
            "sections": _ticket_sections(ticket, request.user),
            "nav_active": "operations",
        },
    )


def _ticket_sections(ticket: Ticket, user: Any) -> list[Any]:
    """Sections other areas add to the ticket page (``SERVICEGATE_TICKET_SECTIONS``:
    functions ``(ticket, user) -> Panel | None``), loaded without importing them."""
    found = (import_string(path)(ticket, user) for path in settings.SERVICEGATE_TICKET_SECTIONS)
    return [section for section in found if section is not None]


@capability_required("dispatch")
def ticket_new(request: HttpRequest) -> HttpResponse:
    """Open a ticket; its clocks start at once."""
    form = TicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = ticket_services.ticket_create(
                by=request.user,
                title=data["title"],
                customer_id=data["customer"].pk,
                asset_id=data["asset"].pk if data["asset"] else None,
                priority=data["priority"],
                kind=data["kind"],
                channel=data["channel"],
                technician_id=data["technician"].pk if data["technician"] else None,
                assignment_group=data["assignment_group"],
            )
        except TicketRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("operations:ticket_detail", ticket_id=ticket.pk)
    return render(request, "operations/ticket_new.html", {"form": form, "nav_active": "operations"})


@capability_required("dispatch")
@require_POST
def ticket_assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Change the assignee, group or priority (the ticket page's form)."""
    ticket = get_object_or_404(Ticket, pk=ticket_id)
    form = AssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _refusal_message(
            request,
            lambda: ticket_services.ticket_update(
                ticket=ticket,
                by=request.user,
                technician_id=data["technician"].pk if data["technician"] else None,
                assignment_group=data["assignment_group"],
                priority=data["priority"],
                note=data["note"],
            ),
        )
    return redirect("operations:ticket_detail", ticket_id=ticket.pk)


@capability_required("work_tickets")
@require_POST
def ticket_status(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Record a status with a note (the ticket page's form)."""
    ticket = selectors.ticket_detail(request.user, ticket_id)
    if ticket is None:
        raise Http404(_("There is no such ticket, or it is not assigned to you."))
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _refusal_message(
            request,
            lambda: ticket_services.ticket_event_append(
                ticket=ticket, by=request.user, status=data["status"], note=data["note"]
            ),
        )
    return redirect("operations:ticket_detail", ticket_id=ticket.pk)


def _refusal_message(request: HttpRequest, write: Callable[[], object]) -> None:
    try:
        write()
    except TicketRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved; the clocks are up to date."))


@capability_required("dispatch")
def queue(request: HttpRequest) -> HttpResponse:
    """The dispatcher's queue: open tickets, unassigned first."""
    page = selectors.page_of(selectors.dispatch_queue(), _page_number(request), PAGE_SIZE)
    return render(
        request,
        "operations/queue.html",
        {"page": page, "title": _("Dispatch queue"), "nav_active": "operations"},
    )


@capability_required("work_tickets")
def my_work(request: HttpRequest) -> HttpResponse:
    """A technician's open tickets."""
    page = selectors.page_of(selectors.my_work(request.user), _page_number(request), PAGE_SIZE)
    return render(
        request,
        "operations/queue.html",
        {"page": page, "title": _("My work"), "mine": True, "nav_active": "operations"},
    )


@capability_required("view_servicegate")
def customer_list(request: HttpRequest) -> HttpResponse:
    """Customers of the installed base."""
    page = selectors.page_of(selectors.customer_list(), _page_number(request), PAGE_SIZE)
    return render(
        request, "operations/customer_list.html", {"page": page, "nav_active": "operations"}
    )


@capability_required("view_servicegate")
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A customer and its sites."""
    customer = selectors.customer_detail(customer_id)
    if customer is None:
        raise Http404(_("There is no such customer."))
    return render(
        request,
        "operations/customer_detail.html",
        {"customer": customer, "nav_active": "operations"},
    )


@capability_required("view_servicegate")
def site_detail(request: HttpRequest, site_id: int) -> HttpResponse:
    """A site and its assets."""
    site = selectors.site_detail(site_id)
    if site is None:
        raise Http404(_("There is no such site."))
    return render(
        request, "operations/site_detail.html", {"site": site, "nav_active": "operations"}
    )


@capability_required("import_data")
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file; the import runs as a background job whose progress the page polls."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    limit = settings.SERVICEGATE_UPLOAD_MAX_BYTES
    if request.method == "POST" and length > limit + 64 * 1024:
        # Refused before the body is read: nothing of it reaches the disk.
        messages.error(request, upload_too_large(length, limit))
        response = render(
            request, "operations/import.html", {"form": ImportForm(), "nav_active": "operations"}
        )
        response.status_code = 413
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        path = _store_upload(form.cleaned_data["file"])
        job = job_start(
            kind="import",
            title=_("Import of %(name)s") % {"name": path.name},
            params={
                "format": form.cleaned_data["format"],
                "path": str(path),
                "mapping": form.cleaned_data["mapping"],
                "timezone": form.cleaned_data["timezone"],
                "skip_invalid": form.cleaned_data["skip_invalid"],
                "encoding": form.cleaned_data["encoding"],
                # the job reports in the language the upload was made in
                "language": translation.get_language(),
            },
            by=request.user,  # type: ignore[arg-type]
        )
        return redirect("operations:import_job", job_id=job.pk)
    return render(request, "operations/import.html", {"form": form, "nav_active": "operations"})


@capability_required("import_data")
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress of an import job: the whole page, or the fragment HTMX polls."""
    job = get_object_or_404(Job, pk=job_id, kind="import")
    template = "operations/_job.html" if request.htmx else "operations/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job, "nav_active": "operations"})


def _store_upload(upload: UploadedFile[bytes]) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / get_valid_filename(upload.name or "upload.csv")
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path
