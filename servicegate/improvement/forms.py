"""Forms of the KVP register: filters, a finding, an action, a PDCA move."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.core.widgets import DateInput
from servicegate.improvement.choices import FindingSource, FindingStatus, Kpi, Severity, Stage
from servicegate.operations.models import Customer, Ticket
from servicegate.promises.models import Promise


def _all(label: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class FindingFilterForm(forms.Form):
    source = forms.ChoiceField(
        choices=_all(_("All sources"), FindingSource.choices), required=False, label=_("Source")
    )
    status = forms.ChoiceField(
        choices=_all(_("All statuses"), FindingStatus.choices), required=False, label=_("Status")
    )
    severity = forms.ChoiceField(
        choices=_all(_("All severities"), Severity.choices), required=False, label=_("Severity")
    )


class ActionFilterForm(forms.Form):
    source = forms.ChoiceField(
        choices=_all(_("All sources"), FindingSource.choices), required=False, label=_("Source")
    )
    stage = forms.ChoiceField(
        choices=_all(_("All stages"), Stage.choices), required=False, label=_("Stage")
    )
    mine = forms.BooleanField(required=False, label=_("Only mine"))


class FindingForm(forms.Form):
    """Raise a finding."""

    source = forms.ChoiceField(choices=FindingSource.choices, label=_("Source"))
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description")
    )
    severity = forms.ChoiceField(choices=Severity.choices, initial="medium", label=_("Severity"))
    promise = forms.ModelChoiceField(
        queryset=Promise.objects.select_related("product").order_by("title", "pk"),
        required=False,
        label=_("Promise"),
    )
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.order_by("name"), required=False, label=_("Customer")
    )
    ticket = forms.ModelChoiceField(
        queryset=Ticket.objects.all(), required=False, widget=forms.HiddenInput
    )


class ActionForm(forms.Form):
    """Open an improvement action (it starts in "plan")."""

    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description")
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        label=_("Owner"),
    )
    due = forms.DateField(required=False, label=_("Due"), widget=DateInput())
    source = forms.ChoiceField(
        choices=_all(_("From the finding"), FindingSource.choices),
        required=False,
        label=_("Source"),
    )
    kpi = forms.ChoiceField(
        choices=_all(_("From the finding"), Kpi.choices), required=False, label=_("KPI")
    )
    target = forms.DecimalField(
        required=False,
        label=_("Target"),
        help_text=_("Percent for rates, hours for the mean time to resolve."),
    )
    window_days = forms.IntegerField(
        required=False,
        initial=90,
        min_value=1,
        max_value=730,
        label=_("Measurement window (days)"),
        help_text=_("The baseline window before planning; the effect window after “Do”."),
    )
    promise = forms.ModelChoiceField(
        queryset=Promise.objects.order_by("title", "pk"), required=False, label=_("Promise")
    )
    product = forms.ModelChoiceField(
        queryset=ServiceProduct.objects.order_by("name"), required=False, label=_("Service product")
    )
    segment = forms.ModelChoiceField(
        queryset=Segment.objects.order_by("name"), required=False, label=_("Segment")
    )


class MoveForm(forms.Form):
    """Move an action to its next stage."""

    to = forms.ChoiceField(choices=Stage.choices)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note")
    )
