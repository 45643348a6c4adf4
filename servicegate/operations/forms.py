"""Forms of the operations area: the import upload, working tickets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from servicegate.importers.mapping import SHIPPED
from servicegate.operations.choices import Channel, ImportFormat, Priority, TicketKind, TicketStatus
from servicegate.operations.models import Asset, Customer
from servicegate.team.models import Technician


def _mapping_choices() -> list[tuple[str, object]]:
    return [("", _("none (ServiceNow)"))] + [
        (p.stem, p.stem) for p in sorted(SHIPPED.glob("*.toml"))
    ]


def upload_too_large(size: int, limit: int) -> str:
    """The sentence for an upload above SERVICEGATE_UPLOAD_MAX_BYTES."""
    return _(
        "The file has %(size)d MB; uploads may have at most %(limit)d MB"
        " (SERVICEGATE_UPLOAD_MAX_BYTES). Compress it as a zip, or import it with"
        " `servicegate import` on the server."
    ) % {"size": -(-size // 2**20), "limit": limit // 2**20}


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
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        required=False,
        choices=[
            ("", _("as the format says (UTF-8)")),
            ("cp1252", "Windows-1252 (cp1252)"),
            ("latin-1", "ISO-8859-1 (latin-1)"),
            ("utf-16", "UTF-16"),
        ],
        help_text=_("The character encoding of the file, if it is not UTF-8."),
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows"),
        required=False,
        help_text=_("Import the valid rows and list the rejected ones in a file."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.SERVICEGATE_UPLOAD_MAX_BYTES
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(upload_too_large(upload.size, limit))
        return upload

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("format") != ImportFormat.SERVICENOW and not data.get("mapping"):
            self.add_error("mapping", _("Choose a mapping for this format."))
        return data


def _technicians() -> Any:
    return Technician.objects.filter(is_active=True).order_by("name")


class TicketForm(forms.Form):
    """Open a ticket (dispatchers and service managers)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    asset = forms.ModelChoiceField(label=_("Asset"), queryset=Asset.objects.none(), required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial="P3")
    kind = forms.ChoiceField(label=_("Kind"), choices=TicketKind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    technician = forms.ModelChoiceField(
        label=_("Technician"), queryset=Technician.objects.none(), required=False
    )
    assignment_group = forms.CharField(label=_("Assignment group"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["asset"].queryset = Asset.objects.select_related("site").order_by("id")  # type: ignore[attr-defined]
        self.fields["technician"].queryset = _technicians()  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    """Change a ticket's assignee, group or priority."""

    technician = forms.ModelChoiceField(
        label=_("Technician"), queryset=Technician.objects.none(), required=False
    )
    assignment_group = forms.CharField(label=_("Assignment group"), max_length=200, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = _technicians()  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    """Record a status with a note."""

    status = forms.ChoiceField(label=_("Status"), choices=TicketStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
