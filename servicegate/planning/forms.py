"""Forms of planning: the staffing calculator, the forecast filter, the feasibility request.

Ranges are left to the engines on purpose: a bad value comes back as the engine's
sentence (which names the parameter and says what to do), shown beside the form.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicegate.catalog.models import Segment
from servicegate.operations.choices import Priority
from servicegate.planning.staffing import StaffingInput


class StaffingForm(forms.Form):
    """Inputs of the Erlang C / Erlang A calculator."""

    arrivals = forms.FloatField(label=_("Arrivals per interval"), initial=100)
    interval_minutes = forms.FloatField(label=_("Interval (minutes)"), initial=30)
    aht_seconds = forms.FloatField(label=_("Average handling time (seconds)"), initial=180)
    target_service_level = forms.FloatField(
        label=_("Target service level (0–1)"),
        initial=0.8,
        help_text=_("Share answered within the time below, e.g. 0.8 for 80 %."),
    )
    answer_within_seconds = forms.FloatField(label=_("Answered within (seconds)"), initial=20)
    shrinkage = forms.FloatField(
        label=_("Shrinkage (0–1)"),
        initial=0.3,
        help_text=_("Share of paid time not available for work (breaks, training, absence)."),
    )
    max_occupancy = forms.FloatField(label=_("Maximum occupancy (0–1)"), initial=1.0)
    patience_seconds = forms.FloatField(
        label=_("Mean patience (seconds, optional)"),
        required=False,
        help_text=_("Give it to use Erlang A, where waiting customers give up."),
    )
    agents = forms.IntegerField(
        label=_("Fixed number of agents (optional)"),
        required=False,
        help_text=_("Evaluate this staffing instead of solving for the target."),
    )

    def to_input(self) -> StaffingInput:
        """The engine input of a valid form."""
        d = self.cleaned_data
        return StaffingInput(
            arrivals=d["arrivals"],
            interval_seconds=d["interval_minutes"] * 60.0,
            aht_seconds=d["aht_seconds"],
            target_service_level=d["target_service_level"],
            answer_within_seconds=d["answer_within_seconds"],
            shrinkage=d["shrinkage"],
            max_occupancy=d["max_occupancy"],
            patience_seconds=d["patience_seconds"],
            agents=d["agents"],
        )


class ForecastFilterForm(forms.Form):
    """Which tickets to forecast, per day or hour, how far ahead."""

    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.order_by("name"),
        required=False,
        empty_label=_("All segments"),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("All priorities")), *Priority.choices],
        required=False,
    )
    freq = forms.ChoiceField(
        label=_("Per"), choices=[("day", _("day")), ("hour", _("hour"))], initial="day"
    )
    horizon = forms.IntegerField(label=_("Horizon (days)"), min_value=1, max_value=90, initial=14)


class FeasibilityForm(forms.Form):
    """Extra volume and confidence of a feasibility check."""

    extra_per_week = forms.FloatField(
        label=_("Extra tickets per week"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("Volume the promise brings on top of today's tickets."),
    )


class CapacityForm(forms.Form):
    """Horizon, team and the what-if hours of the capacity plan (ranges: ``capacity``)."""

    weeks = forms.IntegerField(label=_("Weeks"), initial=8)
    team = forms.ChoiceField(label=_("Team (region)"), required=False)
    extra_hours = forms.FloatField(
        label=_("If this offer is accepted: extra hours per week"),
        required=False,
        help_text=_("Preventive hours per week an offer would add before Sales commits it."),
    )

    def __init__(self, *args: object, teams: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("whole organisation")), *((t, t) for t in teams)]
