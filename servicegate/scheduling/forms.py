"""Forms of scheduling: the day to show or plan, an urgent ticket, a visit's new technician."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicegate.core.widgets import DateInput


class DayForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DateInput())


class UrgentForm(forms.Form):
    ticket = forms.CharField(label=_("Urgent ticket number"), max_length=64)


class ReassignForm(forms.Form):
    technician = forms.IntegerField(label=_("Technician"))
