"""Every date field of a form is the shared ISO date picker (a German page would
otherwise write 04.12.2026, which the browser's picker refuses)."""

from __future__ import annotations

import pytest
from django import forms

from servicegate.core.widgets import DateInput
from servicegate.improvement.forms import ActionForm
from servicegate.maintenance.forms import AcceptOfferForm
from servicegate.promises.forms import ContractForm, PromiseForm
from servicegate.scheduling.forms import DayForm
from servicegate.team.forms import RetroForm


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (PromiseForm, "valid_from"),
        (PromiseForm, "valid_to"),
        (ContractForm, "starts_on"),
        (ContractForm, "ends_on"),
        (ActionForm, "due"),
        (AcceptOfferForm, "starts_on"),
        (DayForm, "date"),
        (RetroForm, "date"),
    ],
)
def test_the_forms_use_the_iso_date_picker(form: type[forms.BaseForm], field: str) -> None:
    fields = form.base_fields  # type: ignore[attr-defined]  # set by the form metaclass
    assert isinstance(fields[field].widget, DateInput)
