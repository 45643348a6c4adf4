"""Which promises apply: every covering promise is measured; the levels (contract >
customer > product > segment > organisation) only name the tightest one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from servicegate.catalog.models import Segment
from servicegate.measurement.applicability import applicable_promises
from servicegate.operations.models import Customer
from servicegate.promises.models import Contract


def only(ticket: Any) -> list[tuple[str, int, str]]:
    """The tightest promise per metric on ``ticket``."""
    found = applicable_promises([ticket.pk])[ticket.pk]
    return sorted((a.metric, a.promise.pk, a.level) for a in found if a.tightest)


def every(ticket: Any) -> list[tuple[str, int, str]]:
    """Every promise measured on ``ticket``."""
    found = applicable_promises([ticket.pk])[ticket.pk]
    return sorted((a.metric, a.promise.pk, a.level) for a in found)


def test_most_specific_level_is_the_tightest(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    customer: Customer,
    product: Any,
) -> None:
    # given one promise per level for the same metric
    segment_wide = make_promise()
    contract = Contract.objects.create(number="C-1", customer=customer, starts_on=date(2025, 1, 1))
    contract.products.add(product)
    product_wide = make_promise()  # the customer holds a contract for the product
    ticket = make_ticket("T-1", [(0, "new")])
    assert only(ticket) == [("resolution", product_wide.pk, "product")]
    by_customer = make_promise(customer=customer)
    assert only(ticket) == [("resolution", by_customer.pk, "customer")]
    by_contract = make_promise(customer=customer, contract=contract)
    assert only(ticket) == [("resolution", by_contract.pk, "contract")]
    assert segment_wide.pk not in {p for _m, p, _l in only(ticket)}
    # every one of them is measured on the ticket all the same
    assert every(ticket) == sorted(
        [
            ("resolution", segment_wide.pk, "product"),
            ("resolution", product_wide.pk, "product"),
            ("resolution", by_customer.pk, "customer"),
            ("resolution", by_contract.pk, "contract"),
        ]
    )


def test_segment_promise_reaches_customers_without_contract(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    promise = make_promise()
    ticket = make_ticket("T-2", [(0, "new")])
    assert only(ticket) == [("resolution", promise.pk, "segment")]


def test_other_segment_and_no_customer(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    promise = make_promise()
    other = Customer.objects.create(
        number="K-2", name="Other", segment=Segment.objects.create(name="Food")
    )
    assert only(make_ticket("T-3", [(0, "new")], customer_=other)) == []
    assert only(make_ticket("T-4", [(0, "new")], customer_=None)) == [
        ("resolution", promise.pk, "organisation")
    ]


def test_priority_specific_beats_any_priority_on_the_same_level(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    anyp = make_promise(priority="")
    p2 = make_promise(priority="P2")
    make_promise(priority="P1")
    ticket = make_ticket("T-5", [(0, "new")], priority="P2")
    assert only(ticket) == [("resolution", p2.pk, "segment")]
    assert every(ticket) == sorted(
        [("resolution", anyp.pk, "segment"), ("resolution", p2.pk, "segment")]
    )


def test_one_clock_per_metric(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    resolution = make_promise()
    response = make_promise(metric="first_response")
    found = only(make_ticket("T-6", [(0, "new")]))
    assert found == sorted(
        [("resolution", resolution.pk, "segment"), ("first_response", response.pk, "segment")]
    )


def test_state_validity_and_kind_filter(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    make_promise(state="draft")
    make_promise(valid_from=date(2026, 6, 1))
    make_promise(valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31))
    make_promise(metric="preventive_on_time", target_unit="percent")
    assert only(make_ticket("T-7", [(0, "new")])) == []
    preventive = make_promise(metric="preventive_on_time", target_unit="business_days")
    assert only(make_ticket("T-8", [(0, "new")], kind="maintenance")) == [
        ("preventive_on_time", preventive.pk, "segment")
    ]
    assert only(make_ticket("T-9", [(0, "new")], kind="incident")) == []
