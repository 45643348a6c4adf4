"""Pages of scheduling: the day plan (timeline and route sketch), moving a visit, my day."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicegate.core.permissions import capability_required, has_capability
from servicegate.operations.models import Ticket
from servicegate.scheduling.errors import ScheduleRefused
from servicegate.scheduling.forms import DayForm, ReassignForm, UrgentForm
from servicegate.scheduling.layout import gantt, sketch
from servicegate.scheduling.models import Visit
from servicegate.scheduling.selectors import (
    latest_plan,
    plan_unassigned,
    plan_visits,
    technician_of,
    technician_visits,
    technicians_for,
)
from servicegate.scheduling.services import day_plan_create, day_plan_insert_urgent, visit_reassign


def _day(request: HttpRequest) -> dt.date:
    form = DayForm(request.GET or request.POST)
    return form.cleaned_data["date"] if form.is_valid() else timezone.localdate()


def _to_day(day: dt.date) -> HttpResponse:
    return redirect(f"{reverse('scheduling:index')}?date={day.isoformat()}")


@capability_required("view_servicegate")
def index(request: HttpRequest) -> HttpResponse:
    """The plan in force for a day: one timeline per technician and a sketch of the routes."""
    day = _day(request)
    plan = latest_plan(day)
    visits = plan_visits(plan) if plan else []
    unassigned = plan_unassigned(plan) if plan else []
    chart = gantt(visits)
    unplanned = [
        (u.ticket.number, u.ticket.asset.site.latitude, u.ticket.asset.site.longitude)
        for u in unassigned
        if u.ticket.asset and u.ticket.asset.site.latitude is not None
    ]
    context = {
        "day": day,
        "form": DayForm(initial={"date": day}),
        "plan": plan,
        "gantt": chart,
        "sketch": sketch(chart.rows, unplanned),  # type: ignore[arg-type]
        "unassigned": unassigned,
        "can_dispatch": has_capability(request.user, "dispatch"),
        "technicians": technicians_for(None) if plan else [],
        "urgent_form": UrgentForm(),
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
    }
    return render(request, "scheduling/day.html", context)


@capability_required("dispatch")
@require_POST
def plan(request: HttpRequest) -> HttpResponse:
    """Plan the day of the form and show it."""
    day = _day(request)
    try:
        day_plan_create(day=day, by=request.user)
        messages.success(request, _("The day was planned."))
    except ScheduleRefused as exc:
        messages.error(request, str(exc))
    return _to_day(day)


@capability_required("dispatch")
@require_POST
def urgent(request: HttpRequest) -> HttpResponse:
    """Insert an urgent on-site ticket into today's plan."""
    form = UrgentForm(request.POST)
    today = timezone.localdate()
    if not form.is_valid():
        messages.error(request, _("Give the number of the urgent ticket."))
        return _to_day(today)
    ticket = Ticket.objects.filter(number=form.cleaned_data["ticket"].strip()).first()
    if ticket is None:
        messages.error(
            request,
            _("There is no ticket %(n)s; check the number.") % {"n": form.cleaned_data["ticket"]},
        )
        return _to_day(today)
    try:
        day_plan_insert_urgent(ticket=ticket, by=request.user)
        messages.success(request, _("The urgent ticket was planned into today."))
    except ScheduleRefused as exc:
        messages.error(request, str(exc))
    return _to_day(today)


@capability_required("dispatch")
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a visit to another technician; the constraints are checked again."""
    visit = get_object_or_404(Visit.objects.select_related("plan"), pk=pk)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick the technician who should take the visit."))
        return _to_day(visit.plan.date)
    try:
        visit_reassign(visit=visit, technician_id=form.cleaned_data["technician"], by=request.user)
        messages.success(request, _("The visit was moved; the day was planned again."))
    except ScheduleRefused as exc:
        messages.error(request, str(exc))
    return _to_day(visit.plan.date)


@capability_required("view_servicegate")
def my_day(request: HttpRequest) -> HttpResponse:
    """A technician's own visits of a day, in order."""
    day = _day(request)
    technician = technician_of(request.user)
    visits = technician_visits(technician, day) if technician else []
    return render(
        request,
        "scheduling/my_day.html",
        {
            "day": day,
            "form": DayForm(initial={"date": day}),
            "technician": technician,
            "visits": visits,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
        },
    )
