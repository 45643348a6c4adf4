"""CSV exports escape cells a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.measurement.csv_safe import safe_cell
from servicegate.measurement.tests.test_attainment_page import two_customers  # noqa: F401
from servicegate.operations.models import Customer


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-0.5", "-0.5"),
        ("Weber", "Weber"),
        (3, 3),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_attainment_csv_escapes_a_formula_in_a_customer_name(
    client: Client,
    victor: User,
    two_customers: Customer,  # noqa: F811
) -> None:
    two_customers.name = '=HYPERLINK("http://evil.example","click")'
    two_customers.save()
    client.force_login(victor)
    response = client.get("/measurement/attainment/?group_by=customer&format=csv")
    groups = [r["group"] for r in csv.DictReader(io.StringIO(response.content.decode()))]
    assert '\'=HYPERLINK("http://evil.example","click")' in groups
    assert not any(g.startswith("=") for g in groups)
