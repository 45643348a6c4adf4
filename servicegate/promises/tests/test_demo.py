"""The demo step creates products and promises in every state with history."""

from __future__ import annotations

import pytest

from servicegate.catalog.models import ServiceProduct
from servicegate.core.demo import build_demo
from servicegate.promises.choices import PromiseState
from servicegate.promises.demo import PRODUCTS
from servicegate.promises.models import AuditEntry, Contract, GateReview, Promise


@pytest.mark.django_db(transaction=False)
def test_demo_has_every_state() -> None:
    from servicegate.accounts.services import sync_roles

    sync_roles()
    ctx = build_demo(seed=7, report=lambda _msg: None)
    # the promises step's twelve products (later steps, preventive services, add their own)
    assert len(PRODUCTS) == 12
    assert ServiceProduct.objects.filter(name__in=[p[0] for p in PRODUCTS]).count() == 12
    assert set(Promise.objects.values_list("state", flat=True)) == set(PromiseState.values)
    assert Contract.objects.count() >= 3
    assert GateReview.objects.filter(gate__code="G1", reviewer__username="manager").exists()
    assert GateReview.objects.filter(gate__code="G4").exists()
    assert AuditEntry.objects.filter(user__username="sales").exists()
    assert len(ctx.objects["promises"]) == Promise.objects.count()
    assert Promise.objects.filter(replaces__state="in_service", state="draft").exists()
    # the history is spread over the past months: cards on the board have real ages
    from servicegate.promises.selectors import gate_board

    ages = [card.age_days for column in gate_board() for card in column.cards]
    assert min(ages) >= 1 and max(ages) > 30
