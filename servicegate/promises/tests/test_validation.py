"""Bad input is refused next to the field, in the form and in the service."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from servicegate.calendars.models import BusinessCalendar
from servicegate.promises import services
from servicegate.promises.forms import PromiseForm
from servicegate.promises.tests.conftest import login

CASES = [
    (
        {"metric": "availability", "target_unit": "percent", "target_value": "0"},
        "target_value",
        "Only a time target may be zero",
    ),
    ({"target_value": "-1"}, "target_value", "cannot be negative"),
    ({"attainment_percent": "0"}, "attainment_percent", "more than 0"),
    ({"attainment_percent": "101"}, "attainment_percent", "at most 100"),
    ({"target_unit": "percent"}, "target_unit", "does not fit the metric"),
    ({"metric": "first_time_fix", "target_unit": "minutes"}, "target_unit", "does not fit"),
    ({"valid_from": "2026-05-01", "valid_to": "2026-05-01"}, "valid_to", "after its start"),
]


def _form_data(promise_data: dict[str, Any], **over: Any) -> dict[str, Any]:
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in promise_data.items()}
    data.update(valid_from="2026-01-01", reopen_behaviour="resume")
    return data | over


@pytest.mark.parametrize(("override", "field", "text"), CASES)
def test_form_shows_error_next_to_field(
    promise_data: dict[str, Any], override: dict[str, Any], field: str, text: str
) -> None:
    form = PromiseForm(data=_form_data(promise_data, **override))
    assert not form.is_valid()
    assert text in " ".join(str(e) for e in form.errors[field])


def test_form_refuses_unknown_calendar(promise_data: dict[str, Any]) -> None:
    form = PromiseForm(data=_form_data(promise_data, calendar=999999))
    assert not form.is_valid()
    assert "calendar" in form.errors


def test_form_is_valid_for_good_data(promise_data: dict[str, Any]) -> None:
    form = PromiseForm(data=_form_data(promise_data))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("override", "field", "text"), CASES)
def test_service_refuses_bad_values(
    alice: User, promise_data: dict[str, Any], override: dict[str, Any], field: str, text: str
) -> None:
    import datetime as dt
    from decimal import Decimal

    values = {
        k: (dt.date.fromisoformat(v) if k.startswith("valid") else Decimal(v))
        if k in ("target_value", "attainment_percent", "valid_from", "valid_to")
        else v
        for k, v in override.items()
    }
    with pytest.raises(ValidationError) as exc:
        services.promise_create(by=alice, **(promise_data | values))
    assert field in exc.value.message_dict


def test_new_page_shows_field_error(alice: User, promise_data: dict[str, Any]) -> None:
    response = login(alice).post("/promises/new/", _form_data(promise_data, target_value="-1"))
    assert response.status_code == 200
    assert b'data-testid="error-target_value"' in response.content


def test_inactive_calendar_is_not_offered(
    promise_data: dict[str, Any], calendar: BusinessCalendar
) -> None:
    calendar.is_active = False
    calendar.save()
    form = PromiseForm(data=_form_data(promise_data))
    assert "calendar" in form.errors


def test_a_time_target_may_be_zero(promise_data: dict[str, Any]) -> None:
    """ "Within 0 minutes" is a promise (discovery finds it where nothing was kept)."""
    form = PromiseForm(data=_form_data(promise_data, target_value="0", target_unit="minutes"))
    assert form.is_valid(), form.errors
