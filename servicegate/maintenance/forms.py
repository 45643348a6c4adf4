"""Forms of preventive services: accepting an offer."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicegate.core.widgets import DateInput


class AcceptOfferForm(forms.Form):
    """When the accepted plan starts and how many months it runs."""

    starts_on = forms.DateField(
        label=_("starts on"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    months = forms.IntegerField(label=_("months"), min_value=1, max_value=60, initial=12)
