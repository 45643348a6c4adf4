"""Business calendar pages: list, week view with holidays, create and edit, download."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.calendars import selectors, services
from servicegate.calendars.forms import CalendarForm
from servicegate.calendars.models import BusinessCalendar
from servicegate.calendars.toml import definition_to_toml
from servicegate.core.permissions import capability_required, has_capability


@capability_required("view_servicegate")
def calendar_list(request: HttpRequest) -> HttpResponse:
    """All business calendars with their time zones and weekly open hours."""
    rows = [
        (c, selectors.weekly_open_hours(selectors.engine_calendar(c)))
        for c in BusinessCalendar.objects.all()
    ]
    return render(
        request,
        "calendars/list.html",
        {"rows": rows, "can_edit": has_capability(request.user, "manage_calendars")},
    )


@capability_required("view_servicegate")
def calendar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The week view, the holidays of a year and the change history of one calendar."""
    calendar = get_object_or_404(BusinessCalendar, pk=pk)
    cal = selectors.engine_calendar(calendar)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1990), 2100)
    context = {
        "calendar": calendar,
        "week": selectors.week_view(cal),
        "weekly_hours": selectors.weekly_open_hours(cal),
        "year": year,
        "holidays": selectors.holidays_of_year(cal, year),
        "revisions": calendar.revisions.select_related("changed_by")[:20],
        "source": definition_to_toml(calendar.definition),
        "can_edit": has_capability(request.user, "manage_calendars"),
        "hours": range(0, 25, 3),
    }
    template = "calendars/_holidays.html" if request.htmx else "calendars/detail.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@capability_required("view_servicegate")
def calendar_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The calendar file (TOML) for use with `servicegate sla`."""
    calendar = get_object_or_404(BusinessCalendar, pk=pk)
    response = HttpResponse(definition_to_toml(calendar.definition), content_type="text/plain")
    filename = "".join(ch if ch.isalnum() else "-" for ch in calendar.name).strip("-")
    response["Content-Disposition"] = f'attachment; filename="{filename or "calendar"}.toml"'
    return response


@capability_required("manage_calendars")
def calendar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a calendar or change one; the TOML is checked by the engine."""
    calendar = get_object_or_404(BusinessCalendar, pk=pk) if pk is not None else None
    initial = None
    if calendar is not None:
        initial = {
            "name": calendar.name,
            "description": calendar.description,
            "source": definition_to_toml(calendar.definition),
        }
    form = CalendarForm(request.POST or None, instance=calendar, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.calendar_save(
            calendar=calendar,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            source=form.cleaned_data["source"],
            comment=form.cleaned_data["comment"],
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("The calendar was saved."))
        return redirect("calendars:detail", pk=saved.pk)
    return render(request, "calendars/edit.html", {"form": form, "calendar": calendar})
