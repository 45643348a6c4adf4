"""Forms of measurement: the what-if terms of a promise, and the window of a replay."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.measurement.choices import Period
from servicegate.measurement.replay import Overrides
from servicegate.operations.choices import PAUSE_STATUSES, TicketStatus
from servicegate.promises.choices import ReopenBehaviour, TargetUnit
from servicegate.promises.models import Promise

TIME_UNIT_CHOICES = [
    (u.value, u.label)
    for u in (
        TargetUnit.MINUTES,
        TargetUnit.HOURS,
        TargetUnit.BUSINESS_HOURS,
        TargetUnit.BUSINESS_DAYS,
    )
]
STATUS_CHOICES = [(s.value, s.label) for s in TicketStatus if s != TicketStatus.OTHER]


def _statuses(label: Any, choices: list[tuple[str, Any]]) -> forms.MultipleChoiceField:
    """A list of ticket statuses as check boxes (none ticked: an empty list)."""
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


class WhatIfForm(forms.Form):
    """Other terms to replay a promise's past tickets with."""

    target_value = forms.DecimalField(
        label=_("Target value"), min_value=0.01, max_digits=10, decimal_places=2
    )
    target_unit = forms.ChoiceField(label=_("Target unit"), choices=TIME_UNIT_CHOICES)
    calendar = forms.ModelChoiceField(
        label=_("Business calendar"), queryset=BusinessCalendar.objects.order_by("name")
    )
    start_statuses = _statuses(
        _("Clock starts on (none: when the ticket is opened)"), STATUS_CHOICES
    )
    pause_statuses = _statuses(
        _("Clock pauses on"), [(s.value, s.label) for s in TicketStatus if s in PAUSE_STATUSES]
    )
    stop_statuses = _statuses(_("Clock stops on"), STATUS_CHOICES)
    reopen = forms.ChoiceField(
        label=_("On reopen"), choices=ReopenBehaviour.choices, initial=ReopenBehaviour.RESUME
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=Period.choices, initial=Period.MONTH, required=False
    )
    # Sent by the form itself: its unticked status boxes mean "none" (see ``data_of``).
    terms = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_of(promise: Promise, period: str = Period.MONTH) -> dict[str, Any]:
        """The promise's own terms, to start from."""
        return {
            "target_value": promise.target_value,
            "target_unit": promise.target_unit,
            "calendar": promise.calendar_id,
            "start_statuses": promise.clock_start_statuses,
            "pause_statuses": promise.clock_pause_statuses,
            "stop_statuses": promise.clock_stop_statuses,
            "reopen": promise.reopen_behaviour,
            "period": period,
        }

    @staticmethod
    def data_of(params: QueryDict, promise: Promise) -> QueryDict:
        """The submitted terms; a link that names no status list or reopen behaviour
        (one the form did not send: it sends ``terms``) keeps the promise's own."""
        data = params.copy()
        if "terms" in params:
            return data
        for name, own in (
            ("start_statuses", promise.clock_start_statuses),
            ("pause_statuses", promise.clock_pause_statuses),
            ("stop_statuses", promise.clock_stop_statuses),
        ):
            if name not in params:
                data.setlist(name, list(own or ()))
        data.setdefault("reopen", promise.reopen_behaviour)
        return data

    def overrides(self) -> Overrides:
        """The terms of the (valid) form."""
        d = self.cleaned_data
        return Overrides(
            target_value=d["target_value"],
            target_unit=d["target_unit"],
            calendar=d["calendar"],
            start_statuses=tuple(d["start_statuses"]),
            pause_statuses=tuple(d["pause_statuses"]),
            stop_statuses=tuple(d["stop_statuses"]),
            reopen=d["reopen"],
        )

    def chosen_period(self) -> str:
        """The chosen period; the default (month) when none was given."""
        return str(self.cleaned_data.get("period") or Period.MONTH)


class ReplayForm(WhatIfForm):
    """A counter-proposal's terms and the window to replay them over."""

    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)
