"""Forms of the service catalogue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from servicegate.catalog.choices import Channel, ProductKind
from servicegate.catalog.models import PRODUCT_FIELDS, Segment, ServiceProduct


class RegionsField(forms.CharField):
    """A comma-separated list of regions, stored as a JSON list."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(",") if part.strip()]


class ProductForm(forms.ModelForm[ServiceProduct]):
    """Create or edit a service product (the four Ps)."""

    regions = RegionsField(
        label=_("Regions"), required=False, help_text=_("Comma-separated, e.g. Bayern, AT, CH.")
    )

    class Meta:
        model = ServiceProduct
        fields = list(PRODUCT_FIELDS)
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "value_proposition": forms.Textarea(attrs={"rows": 2}),
            "target_message": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.filter(is_active=True)  # type: ignore[attr-defined]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = get_user_model().objects.filter(is_active=True).order_by("username")


class ProductFilterForm(forms.Form):
    """The filters above the product list."""

    segment = forms.ModelChoiceField(
        queryset=Segment.objects.all(), required=False, label=_("Segment")
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(owned_products__isnull=False).distinct(),
        required=False,
        label=_("Owner"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("All kinds")), *ProductKind.choices], required=False, label=_("Kind")
    )
    channel = forms.ChoiceField(
        choices=[("", _("All channels")), *Channel.choices], required=False, label=_("Channel")
    )
