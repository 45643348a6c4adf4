"""The calendar form: name, description and the calendar file (TOML)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.engines.calendars import CalendarError, parse_calendar

EXAMPLE = """timezone = "Europe/Berlin"

[week]
mon = ["08:00-12:00", "13:00-17:00"]
tue = ["08:00-12:00", "13:00-17:00"]
wed = ["08:00-12:00", "13:00-17:00"]
thu = ["08:00-12:00", "13:00-17:00"]
fri = ["08:00-12:00", "13:00-15:30"]
sat = []
sun = []

[holidays]
dates = ["2026-12-24", "2026-12-31"]
country = "DE"
subdivision = "BY"
"""


class CalendarForm(forms.Form):
    """Validates the TOML with the engine, so errors name the field and line."""

    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(
        label=_("Calendar file (TOML)"),
        initial=EXAMPLE,
        widget=forms.Textarea(attrs={"rows": 22, "class": "mono", "spellcheck": "false"}),
        help_text=_(
            "Time zone, weekly intervals in local time (an end before the start runs past "
            "midnight), holidays as dates or by country and subdivision, special dates."
        ),
    )
    comment = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def __init__(self, *args: object, instance: BusinessCalendar | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.instance = instance

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = BusinessCalendar.objects.filter(name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A calendar with this name exists already."))
        return name

    def clean_source(self) -> str:
        source: str = self.cleaned_data["source"]
        try:
            parse_calendar(source)
        except CalendarError as exc:
            raise forms.ValidationError(str(exc)) from None
        return source
