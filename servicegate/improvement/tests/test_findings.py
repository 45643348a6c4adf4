"""Raising findings: who may, what is filled in, bad input and the duplicate check."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from servicegate.improvement.choices import FindingStatus
from servicegate.improvement.models import Finding
from servicegate.improvement.services import finding_close, finding_create
from servicegate.promises.models import Promise


def test_a_technician_raises_a_finding_linked_to_the_promise_and_its_product(
    carol: User, promise: Promise
) -> None:
    finding = finding_create(
        by=carol, source="technician", title="Spare parts arrive late", promise=promise
    )
    assert finding.status == FindingStatus.OPEN
    assert finding.product == promise.product
    assert finding.raised_by == carol
    assert finding.severity == "medium"


def test_a_viewer_may_not_raise_a_finding(victor: User) -> None:
    with pytest.raises(PermissionDenied):
        finding_create(by=victor, source="technician", title="Anything")
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "sentence"),
    [
        ({"source": "rumour"}, "source", "Choose where the finding comes from"),
        ({"severity": "huge"}, "severity", "Choose a severity"),
        ({"title": "  "}, "title", "Give the finding a title"),
    ],
)
def test_bad_input_is_refused_with_a_sentence(
    carol: User, fields: dict[str, str], field: str, sentence: str
) -> None:
    values = {"source": "technician", "title": "Late parts", **fields}
    with pytest.raises(ValidationError) as caught:
        finding_create(by=carol, **values)  # type: ignore[arg-type]
    assert sentence in caught.value.message_dict[field][0]
    assert not Finding.objects.exists()


def test_the_same_promise_cause_and_period_returns_the_live_finding(
    bob: User, promise: Promise
) -> None:
    first = finding_create(
        by=bob, source="g4_review", title="Queue too long", promise=promise, cause="queue"
    )
    again = finding_create(
        by=bob, source="technician", title="Queue again", promise=promise, cause="queue"
    )
    assert again.pk == first.pk
    assert Finding.objects.count() == 1


def test_the_same_feedback_twice_returns_the_live_finding_and_a_closed_one_is_not_reused(
    bob: User, quinn: User
) -> None:
    first = finding_create(by=bob, source="retrospective", title="Handover notes missing")
    assert finding_create(by=bob, source="retrospective", title="handover notes missing") == first
    finding_close(finding=first, by=quinn)
    third = finding_create(by=bob, source="retrospective", title="Handover notes missing")
    assert third.pk != first.pk


def test_only_a_kvp_lead_closes_a_finding(carol: User, quinn: User) -> None:
    finding = finding_create(by=carol, source="technician", title="Tool missing")
    with pytest.raises(PermissionDenied):
        finding_close(finding=finding, by=carol)
    assert finding_close(finding=finding, by=quinn).status == FindingStatus.CLOSED
