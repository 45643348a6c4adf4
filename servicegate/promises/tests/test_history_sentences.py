"""History entries read as sentences in the reader's language, worded when shown."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import translation

from servicegate.promises import services
from servicegate.promises.models import Promise
from servicegate.promises.tests.conftest import login
from servicegate.promises.walkthrough import review_through


def _g1_passed(promise: Promise, bob: User, move: Callable[..., Promise]) -> None:
    move(promise, "feasibility_review")
    review_through(promise, "G1", by=bob, comments="Feasible.")


def _history(user: User, promise: Promise, language: str) -> str:
    page = login(user).get(f"/promises/{promise.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    return html[html.index('data-testid="promise-history"') :]


def test_history_in_german_and_english(
    alice: User, bob: User, draft: Promise, move: Callable[..., Promise]
) -> None:
    _g1_passed(draft, bob, move)
    german = _history(alice, draft, "de")
    assert "G1 entschieden: Bestanden." in german
    assert "Der Status wechselte von „Machbarkeitsprüfung (G1)“ zu „Freigegeben“." in german
    assert "Die G1-Prüfung wurde eröffnet." in german
    assert "Feasible." in german  # the reviewer's own words stay as written
    assert "state:" not in german and "decided:" not in german
    english = _history(alice, draft, "en")
    assert "G1 decided: Pass." in english
    assert "The state changed from “Feasibility review (G1)” to “Approved”." in english


def test_changed_fields_by_label_and_localised(alice: User, draft: Promise) -> None:
    services.promise_update(
        promise=draft,
        by=alice,
        version=draft.version,
        attainment_percent=Decimal("96.5"),
        clock_pause_statuses=["awaiting_customer", "awaiting_vendor"],
    )
    german = _history(alice, draft, "de")
    assert "Erfüllungsgrad (%): 95 → 96,5" in german
    assert (
        "Uhr pausiert bei: wartet auf Kunden → wartet auf Kunden, wartet auf Lieferanten" in german
    )


def test_evidence_names_its_criterion_in_the_readers_language(
    alice: User, bob: User, draft: Promise, move: Callable[..., Promise]
) -> None:
    _g1_passed(draft, bob, move)
    review = draft.reviews.get(gate__code="G1")
    evidence = review.evidence.select_related("criterion").exclude(criterion=None).first()
    assert evidence is not None and evidence.text == "Checked."  # the note as written
    criterion = evidence.criterion
    assert criterion is not None
    pages = {
        language: login(alice)
        .get(f"/promises/reviews/{review.pk}/", HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
        for language in ("en", "de")
    }
    listed = {k: v[v.index('data-testid="evidence-list"') :] for k, v in pages.items()}
    with translation.override("de"):
        german_name = criterion.evidence_text
    assert german_name != criterion.required_evidence  # the shipped criteria are translated
    assert f"{german_name}:</span> Checked." in listed["de"]
    assert f"{criterion.required_evidence}:</span> Checked." in listed["en"]
