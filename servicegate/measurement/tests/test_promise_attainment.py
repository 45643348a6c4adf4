"""Attainment on the promise: the promise API, the promise page and the product page
give the figures of ``/api/v1/attainment?promise=ID``, on the demo organisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from servicegate.core.demo import build_demo
from servicegate.promises.choices import PromiseState
from servicegate.promises.models import Promise

FIGURES = ("n", "met", "rate", "ci_low", "ci_high", "level", "kept", "not_started", "coverage")


@pytest.fixture
def demo(db: None) -> None:
    from servicegate.accounts.services import sync_roles

    sync_roles()
    build_demo(seed=7, report=lambda _msg: None)


def _percent(value: float, language: str) -> str:
    text = f"{100 * value:.1f} %"
    return text.replace(".", ",") if language == "de" else text


def test_pages_and_api_agree_on_the_demo(demo: None, client: Client, persona: Any) -> None:
    """Checked in English and in German (decimal comma); a draft has no attainment; a
    viewer reads it too. (One test: building the demo takes most of its time.)"""
    client.force_login(Promise.objects.first().made_by)  # type: ignore[union-attr]
    for language in ("en", "de"):
        client.cookies["django_language"] = language
        assert _agree(client, language) >= 2
    _draft_and_viewer(client, persona)


def _agree(client: Client, language: str) -> int:
    """Checks every in-service promise; returns how many have decided clocks."""
    promises = Promise.objects.filter(state=PromiseState.IN_SERVICE).order_by("pk")
    measured = 0
    for promise in promises:
        # when
        detail = client.get(f"/api/v1/promises/{promise.pk}").json()
        rows = client.get(f"/api/v1/attainment?promise={promise.pk}").json()
        if not rows:
            assert detail["attainment"] is None
            continue
        # then the API agrees with itself
        [row] = rows
        assert {k: detail["attainment"][k] for k in FIGURES} == {k: row[k] for k in FIGURES}
        if not row["n"]:
            continue
        measured += 1
        rate = _percent(row["rate"], language)
        # the promise page shows the figures and links to the measurement
        page = client.get(f"/promises/{promise.pk}/").content.decode()
        assert rate in page
        assert f"/measurement/promises/{promise.pk}/" in page
        assert f"{row['met']} " in page and f" {row['n']} " in page
        # the product page shows each promise's attainment
        product = client.get(f"/catalog/products/{promise.product_id}/").content.decode()
        assert rate in product
    return measured


def _draft_and_viewer(client: Client, persona: Any) -> None:
    client.force_login(persona("victor"))
    draft = Promise.objects.filter(state=PromiseState.DRAFT).first()
    assert draft is not None
    assert client.get(f"/api/v1/promises/{draft.pk}").json()["attainment"] is None
    page = client.get(f"/promises/{draft.pk}/").content.decode()
    assert 'data-testid="attainment-none"' in page
    live = Promise.objects.filter(state=PromiseState.IN_SERVICE).first()
    assert live is not None
    response = client.get(f"/api/v1/promises/{live.pk}")
    assert response.status_code == 200
    assert set(FIGURES) <= set(response.json()["attainment"])
