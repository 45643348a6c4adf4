"""Forms of the operations area: the import upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicegate.importers.mapping import SHIPPED
from servicegate.operations.choices import ImportFormat


def _mapping_choices() -> list[tuple[str, object]]:
    return [("", _("none (ServiceNow)"))] + [
        (p.stem, p.stem) for p in sorted(SHIPPED.glob("*.toml"))
    ]


class ImportForm(forms.Form):
    """Upload a file to import in the background."""

    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("CSV, XES or a zip archive holding one of them.")
    )
    mapping = forms.ChoiceField(
        label=_("Mapping"),
        choices=_mapping_choices,
        required=False,
        help_text=_("Needed for event logs and ticket CSV files."),
    )
    timezone = forms.CharField(
        label=_("Time zone"),
        required=False,
        help_text=_("Zone of timestamps without offset, for example Europe/Berlin (default UTC)."),
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows"),
        required=False,
        help_text=_("Import the valid rows and list the rejected ones in a file."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("format") != ImportFormat.SERVICENOW and not data.get("mapping"):
            self.add_error("mapping", _("Choose a mapping for this format."))
        return data
