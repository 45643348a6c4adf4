"""Forms of measurement: the what-if terms of a promise."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.measurement.choices import Period
from servicegate.operations.choices import PAUSE_STATUSES, TicketStatus
from servicegate.promises.choices import TargetUnit

TIME_UNIT_CHOICES = [
    (u.value, u.label)
    for u in (
        TargetUnit.MINUTES,
        TargetUnit.HOURS,
        TargetUnit.BUSINESS_HOURS,
        TargetUnit.BUSINESS_DAYS,
    )
]


class WhatIfForm(forms.Form):
    """Other terms to replay a promise's past tickets with."""

    target_value = forms.DecimalField(
        label=_("Target value"), min_value=0.01, max_digits=10, decimal_places=2
    )
    target_unit = forms.ChoiceField(label=_("Target unit"), choices=TIME_UNIT_CHOICES)
    calendar = forms.ModelChoiceField(
        label=_("Business calendar"), queryset=BusinessCalendar.objects.order_by("name")
    )
    pause_statuses = forms.MultipleChoiceField(
        label=_("Clock pauses on"),
        required=False,
        choices=[(s.value, s.label) for s in TicketStatus if s in PAUSE_STATUSES],
        widget=forms.CheckboxSelectMultiple,
    )
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices, initial=Period.MONTH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
