"""Forms of the customer portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicegate.operations.models import Asset, Customer
from servicegate.portal.choices import PortalPriority


class TicketRaiseForm(forms.Form):
    """Raise a ticket: what is wrong, on which machine, how urgent, and a file."""

    title = forms.CharField(label=_("What is wrong?"), max_length=200)
    asset = forms.ModelChoiceField(
        label=_("Machine or system"), queryset=Asset.objects.none(), required=False
    )
    priority = forms.ChoiceField(
        label=_("How urgent is it?"), choices=PortalPriority.choices, initial="normal"
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, PNG, JPEG, text, log or CSV file, at most 5 MB."),
    )

    def __init__(self, *args: Any, assets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = assets  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the solution?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InvitationForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.filter(is_active=True)
    )
    email = forms.EmailField(label=_("E-mail"))


class AcceptForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
