"""A small world for the measurement tests: calendars, a product, promises, tickets.

Personas come from ``servicegate/conftest.py``: bob the service manager (may recompute),
victor the viewer (reads only), alice from sales.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.engines.calendars import calendar_to_dict, parse_calendar, twenty_four_seven
from servicegate.operations.models import Customer, Ticket, TicketEvent
from servicegate.promises.models import Promise

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday, 08:00 UTC
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
OFFICE = """
timezone = "UTC"
[week]
mon = ["08:00-16:00"]
tue = ["08:00-16:00"]
wed = ["08:00-16:00"]
thu = ["08:00-16:00"]
fri = ["08:00-16:00"]
"""


@pytest.fixture
def always(db: None) -> BusinessCalendar:
    return BusinessCalendar.objects.create(
        name="24x7 test", timezone="UTC", definition=calendar_to_dict(twenty_four_seven("UTC"))
    )


@pytest.fixture
def office(db: None) -> BusinessCalendar:
    return BusinessCalendar.objects.create(
        name="Office test", timezone="UTC", definition=calendar_to_dict(parse_calendar(OFFICE))
    )


@pytest.fixture
def make_promise(
    product: ServiceProduct, always: BusinessCalendar, alice: User
) -> Callable[..., Promise]:
    """``make_promise(metric="resolution", target_value=4, ...)``: an in-service promise.

    Its clock starts at the ticket's "new" event (a named start status), so that the
    steps of ``make_ticket`` place the start; tests of the default start at the opening
    pass ``clock_start_statuses=[]``.
    """

    def make(**fields: Any) -> Promise:
        values: dict[str, Any] = {
            "metric": "resolution",
            "target_value": Decimal(4),
            "target_unit": "hours",
            "attainment_percent": Decimal(90),
            "calendar": always,
            "product": product,
            "segment": product.segment,
            "made_by": alice,
            "made_by_role": "sales",
            "source": "brochure",
            "valid_from": date(2026, 1, 1),
            "state": "in_service",
            "clock_start_statuses": ["new"],
            **fields,
        }
        return Promise.objects.create(**values)

    return make


Step = tuple[float, str] | tuple[float, str, str]


@pytest.fixture
def make_ticket(customer: Customer) -> Callable[..., Ticket]:
    """``make_ticket("T-1", [(0, "new"), (30, "in_progress"), (90, "resolved")])``.

    Steps are (minutes after ``opened``, status[, priority]); the ticket takes the last
    status and priority.
    """
    counter = {"n": 0}

    def make(
        number: str,
        steps: list[Step],
        *,
        opened: datetime = T0,
        priority: str = "P2",
        kind: str = "incident",
        customer_: Customer | str | None = "default",
        **fields: Any,
    ) -> Ticket:
        counter["n"] += 1
        last_priority = priority
        for step in steps:
            if len(step) == 3:
                last_priority = step[2]
        ticket = Ticket.objects.create(
            external_id=number,
            number=number,
            kind=kind,
            priority=last_priority,
            customer=customer if isinstance(customer_, str) else customer_,
            opened_at=opened,
            status=steps[-1][1],
            **fields,
        )
        TicketEvent.objects.bulk_create(
            [
                TicketEvent(
                    ticket=ticket,
                    seq=i + 1,
                    at=opened + timedelta(minutes=step[0]),
                    status=step[1],
                    priority=step[2] if len(step) == 3 else (priority if i == 0 else ""),
                )
                for i, step in enumerate(steps)
            ]
        )
        return ticket

    return make


#: Clock terms of the history-replay tests (see ``replay_tickets``).
BASE: dict[str, Any] = {
    "target_value": Decimal(4),
    "clock_start_statuses": ["new"],
    "clock_pause_statuses": [],
    "clock_stop_statuses": ["resolved", "closed"],
    "reopen_behaviour": "resume",
}


@pytest.fixture
def replay_tickets(make_ticket: Callable[..., Any]) -> None:
    """Six incidents on the 24×7 calendar; their hours under a 4 h target noted."""
    day = timedelta(days=1)
    make_ticket("A", [(0, "new"), (60, "resolved")])  # 1 h: met
    make_ticket("B", [(0, "new"), (180, "resolved")], opened=T0 + day)  # 3 h: met
    make_ticket(  # 5 h, 3 of them waiting for the customer: breached
        "C",
        [(0, "new"), (60, "awaiting_customer"), (240, "in_progress"), (300, "resolved")],
        opened=T0 + 2 * day,
    )
    make_ticket(  # 2.5 h, reopened, 3 h 20 more: 5 h 50 resumed (breached), 2 cycles met
        "D",
        [(0, "new"), (120, "assigned"), (150, "resolved"), (200, "in_progress"), (400, "closed")],
        opened=T0 + 3 * day,
    )
    # Friday 14:00-19:00: 5 h on 24×7 (breached), 2 h on the office calendar (met)
    make_ticket("E", [(0, "new"), (300, "resolved")], opened=T0 + 4 * day + timedelta(hours=6))
    make_ticket("F", [(0, "new"), (60, "resolved"), (120, "closed")], opened=T0 + 5 * day)
