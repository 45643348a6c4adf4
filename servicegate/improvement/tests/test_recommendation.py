"""The recommendation back to Sales, the G4 panel, the review pack and the G4 inbox item."""

from __future__ import annotations

import re
import zlib
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.accounts.services import sync_roles, token_create
from servicegate.conftest import RoleMatrix
from servicegate.improvement.inbox import g4_recommendation_items
from servicegate.improvement.recommendation import recommend
from servicegate.improvement.tests.conftest import Summarise
from servicegate.promises.models import Promise
from servicegate.promises.walkthrough import review_through

TODAY = timezone.now().date()


def staff(needed: int | None, available: int | None) -> Any:
    return mock.patch(
        "servicegate.improvement.recommendation.staffing", return_value=(needed, available)
    )


@pytest.mark.parametrize(
    ("met", "cause", "needed", "available", "expected"),
    [
        (100, "", 2, 5, "tighten"),  # kept with the interval above 90 %, spare staff
        (100, "", 5, 5, "keep"),  # kept, but no spare staff
        (90, "queue", 2, 5, "keep"),  # the interval straddles 90 %
        (60, "queue", 6, 4, "add_capacity"),  # missed in the queue, staff short
        (60, "queue", 3, 4, "reprice"),  # missed in the queue, staff suffices
        (60, "work", 3, 4, "relax"),  # missed in the work itself
    ],
)
def test_the_rules(
    promise: Promise,
    summarise: Summarise,
    met: int,
    cause: str,
    needed: int,
    available: int,
    expected: str,
) -> None:
    summarise(promise, TODAY - timedelta(days=2), 100 - met, 0, cause or "work")
    summarise(promise, TODAY - timedelta(days=2), met, met)
    with (
        staff(needed, available),
        mock.patch("servicegate.improvement.recommendation.off_hours_share", return_value=0.1),
    ):
        rec = recommend(promise)
    assert rec.recommendation == expected
    assert rec.evidence["staffing_needed"] == needed and rec.evidence["target"] == 0.9


def test_no_clocks_keeps_the_promise(promise: Promise) -> None:
    with staff(None, None):
        rec = recommend(promise)
    assert rec.recommendation == "keep" and "No clock" in rec.reason
    assert rec.evidence["attainment"] is None


def test_missed_outside_opening_hours_changes_the_calendar(
    promise: Promise, summarise: Summarise
) -> None:
    summarise(promise, TODAY, 50, 0, "queue")
    summarise(promise, TODAY, 50, 50)
    with (
        staff(6, 4),
        mock.patch("servicegate.improvement.recommendation.off_hours_share", return_value=0.8),
    ):
        assert recommend(promise).recommendation == "change_calendar"


def test_the_api_gives_recommendation_reason_and_evidence(
    promise: Promise, summarise: Summarise, alice: User, role_matrix: RoleMatrix
) -> None:
    summarise(promise, TODAY, 10, 10)
    with staff(1, 3):
        client = Client(headers={"Authorization": f"Bearer {token_create(user=alice)[1]}"})
        body = client.get(f"/api/v1/promises/{promise.pk}/recommendation").json()
        role_matrix(f"/api/v1/promises/{promise.pk}/recommendation", {"*": 200}, api=True)
    assert body["recommendation"] in {"keep", "tighten"}
    assert set(body["evidence"]) >= {
        "attainment", "ci_low", "ci_high", "target", "breach_causes",
        "staffing_needed", "staffing_available",
    }  # fmt: skip


def test_the_review_pack_is_a_pdf_with_its_pages(
    promise: Promise, summarise: Summarise, alice: User
) -> None:
    summarise(promise, TODAY - timedelta(days=40), 10, 7, "queue")
    summarise(promise, TODAY, 10, 9)
    client = Client(headers={"Authorization": f"Bearer {token_create(user=alice)[1]}"})
    for language in ("en", "de"):
        with staff(2, 3):
            response = client.get(
                f"/api/v1/promises/{promise.pk}/review-pack.pdf", HTTP_ACCEPT_LANGUAGE=language
            )
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        pdf = response.content
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        objects = pdf_objects(pdf)
        assert len(re.findall(rb"/Type\s*/Page(?!s)", objects)) >= 1
        assert re.search(rb"/Count\s+\d+", objects)


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's object text with every Flate stream decompressed (object streams hold
    the page dictionaries in PDF 1.5+)."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_the_g4_review_shows_the_recommendation_and_the_maker_gets_it_in_the_inbox(
    promise: Promise, alice: User, quinn: User, summarise: Summarise
) -> None:
    sync_roles()
    Promise.objects.filter(pk=promise.pk).update(state="under_review")
    promise.refresh_from_db()
    summarise(promise, TODAY, 10, 10)
    with staff(1, 3):
        review = review_through(promise, "G4", by=quinn)
        client = Client()
        client.force_login(quinn)
        page = client.get(f"/promises/reviews/{review.pk}/").content.decode()
    assert 'data-testid="g4-recommendation"' in page and "review-pack.pdf" in page
    (item,) = g4_recommendation_items(alice)
    assert item.url == f"/promises/reviews/{review.pk}/" and item.kind == "g4_recommendation"
    assert g4_recommendation_items(quinn) == []
