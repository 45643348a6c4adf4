"""Forms of promises, gates, reviews and contracts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.core.widgets import DateInput
from servicegate.promises.choices import (
    CLOCK_STATUS_CHOICES,
    Decision,
    EvidenceKind,
    PromiseState,
)
from servicegate.promises.models import (
    PROMISE_FIELDS,
    Contract,
    Evidence,
    GateCriterion,
    GateDefinition,
    GateReview,
    Promise,
)
from servicegate.promises.models.promise import default_pause_statuses, default_stop_statuses


class StatusesField(forms.MultipleChoiceField):
    """Ticket statuses chosen from those of the organisation's tickets (never free text)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CLOCK_STATUS_CHOICES, required=False, **kwargs)


class PromiseForm(forms.ModelForm[Promise]):
    """Propose or edit a promise; ``version`` detects concurrent edits."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    clock_start_statuses = StatusesField(
        label=_("Clock starts on"),
        help_text=_(
            "None chosen: the clock starts when the ticket is opened. Choose statuses only "
            "if it should start later; tickets that never reach one are counted as not started."
        ),
    )
    clock_pause_statuses = StatusesField(label=_("Clock pauses on"), initial=default_pause_statuses)
    clock_stop_statuses = StatusesField(label=_("Clock stops on"), initial=default_stop_statuses)

    class Meta:
        model = Promise
        fields = list(PROMISE_FIELDS)
        widgets = {
            # ISO dates: a browser's date input shows nothing for a localised "01.01.2027"
            "valid_from": DateInput(),
            "valid_to": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = ServiceProduct.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).select_related("segment")
        self.fields["calendar"].queryset = BusinessCalendar.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["segment"].required = False
        self.fields["segment"].help_text = _("Leave empty to use the product's segment.")
        self.fields["warning_percent"].required = False  # empty: the default, 75 %
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        # The segment follows the product unless chosen explicitly.
        product = self.cleaned_data.get("product")
        if product is not None and not self.cleaned_data.get("segment"):
            self.cleaned_data["segment"] = product.segment
        if self.cleaned_data.get("warning_percent") is None:
            self.cleaned_data["warning_percent"] = (
                self.instance.warning_percent if self.instance.pk else 75
            )
        super()._post_clean()  # type: ignore[misc]


class TransitionForm(forms.Form):
    """Move a promise to another state, with a reason."""

    to = forms.ChoiceField(choices=PromiseState.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    counter_proposal = forms.CharField(
        label=_("Counter-proposal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PromiseFilterForm(forms.Form):
    """Filters above the promise list."""

    state = forms.ChoiceField(
        choices=[("", _("All states")), *PromiseState.choices], required=False, label=_("State")
    )
    product = forms.ModelChoiceField(
        queryset=ServiceProduct.objects.all(), required=False, label=_("Product")
    )


class GateForm(forms.ModelForm[GateDefinition]):
    """Edit a gate definition."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = GateDefinition
        fields = [
            "order",
            "code",
            "name",
            "description",
            "from_department",
            "to_department",
            "owner_role",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CriterionForm(forms.ModelForm[GateCriterion]):
    """Add or edit one checklist criterion."""

    class Meta:
        model = GateCriterion
        fields = ["order", "question", "required_evidence", "mandatory", "is_active"]


class EvidenceForm(forms.ModelForm[Evidence]):
    """Attach a text, link or file as evidence to a review."""

    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = Evidence
        fields = ["criterion", "kind", "text", "url", "file"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, review: GateReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = review.gate.criteria.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["kind"].initial = EvidenceKind.TEXT


class DecisionForm(forms.Form):
    """Decide a gate review; no decision is preselected."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("— choose a decision —")), *(c for c in Decision.choices if c[0])],
        error_messages={"required": _("Choose a decision: pass, pass with conditions or fail.")},
    )
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    counter_proposal = forms.CharField(
        label=_("Counter-proposal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=_("Override reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to pass G1 when the feasibility check says red."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ContractForm(forms.ModelForm[Contract]):
    """Record a contract."""

    class Meta:
        model = Contract
        fields = ["number", "customer", "products", "starts_on", "ends_on", "notes"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
