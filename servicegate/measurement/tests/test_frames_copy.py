"""PostgreSQL: integer rows read by binary COPY equal the rows the driver fetches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.db import connection

from servicegate.measurement import frames
from servicegate.measurement.tests.conftest import T0
from servicegate.operations.models import Ticket, TicketEvent


@pytest.fixture
def postgres(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("binary COPY is PostgreSQL's")


def _fetched(sql: str, params: Any) -> list[tuple[int, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()]


def test_frames_come_through_copy_unchanged(
    postgres: None, make_ticket: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(30):
        make_ticket(
            f"T-{i}",
            [(0, "new"), (30, "in_progress", "P1"), (90 + i, "resolved")],
            opened=T0 + timedelta(days=i),
        )

    def both() -> tuple[Any, Any]:
        tickets = frames.load_tickets(Ticket.objects.all())
        return tickets, frames.load_events(TicketEvent.objects.all())

    copied = both()
    monkeypatch.setattr(frames, "_copied_int_rows", lambda *args: None)
    fetched = both()
    assert copied[1].ticket.size == 90
    for a, b in zip(copied, fetched, strict=True):
        for name in a.__dataclass_fields__:
            assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_copy_rows_equal_fetched_rows_int4_and_int8(postgres: None) -> None:
    sql = "SELECT g::int4, (g * 10000000000)::int8, mod(g, 3)::int2 FROM generate_series(1, 500) g"
    copied = frames._copied_int_rows(sql, [], 3)
    assert copied is not None
    assert [tuple(r) for r in copied.tolist()] == _fetched(sql, [])
    empty = frames._copied_int_rows("SELECT 1::int8 WHERE false", [], 1)
    assert empty is not None and empty.shape == (0, 1)


def test_a_null_sends_the_rows_the_usual_way(postgres: None) -> None:
    sql = "SELECT g::int8, CASE WHEN g = 2 THEN NULL ELSE g END::int8 FROM generate_series(1, 3) g"
    assert frames._copied_int_rows(sql, [], 2) is None
    params_sql = "SELECT g::int8 FROM generate_series(1, %s) g"
    rows = frames._copied_int_rows(params_sql, [4], 1)
    assert rows is not None and np.array_equal(rows[:, 0], np.arange(1, 5))
