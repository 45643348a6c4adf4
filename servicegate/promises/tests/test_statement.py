"""A promise reads as one sentence, in the user's language, with the unit's right number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from servicegate.promises.models import Promise


def _promise(**fields: Any) -> Promise:
    values: dict[str, Any] = {
        "metric": "first_response",
        "priority": "P1",
        "target_value": Decimal("4"),
        "target_unit": "business_hours",
        "attainment_percent": Decimal("95"),
        **fields,
    }
    return Promise(**values)


@pytest.mark.parametrize(
    ("value", "unit", "english", "german"),
    [
        ("4", "business_hours", "95 % First response P1 ≤ 4 business hours", "Geschäftsstunden"),
        ("1", "business_hours", "95 % First response P1 ≤ 1 business hour", "≤ 1 Geschäftsstunde"),
        ("1", "hours", "95 % First response P1 ≤ 1 hour", "≤ 1 Stunde"),
        ("1.5", "hours", "95 % First response P1 ≤ 1.5 hours", "≤ 1,5 Stunden"),
        ("1", "business_days", "95 % First response P1 ≤ 1 business day", "≤ 1 Geschäftstag"),
        ("30", "minutes", "95 % First response P1 ≤ 30 minutes", "≤ 30 Minuten"),
    ],
)
def test_statement(value: str, unit: str, english: str, german: str) -> None:
    promise = _promise(target_value=Decimal(value), target_unit=unit)
    assert promise.statement == english
    with translation.override("de"):
        assert promise.statement.endswith(german)
