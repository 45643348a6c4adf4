"""Bulk writes leave PostgreSQL fresh planner statistics (a no-op on SQLite)."""

from __future__ import annotations

import pytest
from django.db import connection

from servicegate.catalog.models import Segment
from servicegate.core.statistics import analyze
from servicegate.operations.models import Customer


def _estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return float(cursor.fetchone()[0])


@pytest.mark.django_db
def test_analyze_refreshes_the_row_estimate(segment: Segment) -> None:
    if connection.vendor != "postgresql":
        analyze(Customer)  # nothing to refresh, and nothing fails
        pytest.skip("planner statistics are PostgreSQL's")
    Customer.objects.bulk_create(
        Customer(number=f"K-{i}", name=f"Customer {i}", segment=segment) for i in range(300)
    )
    analyze(Customer)
    assert _estimated_rows(Customer._meta.db_table) == 300
