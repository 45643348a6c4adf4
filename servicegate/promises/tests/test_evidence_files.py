"""Uploaded evidence files are served only to logged-in users who may read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from servicegate.promises.gate_services import evidence_add, gate_review_open
from servicegate.promises.models import Evidence, GateDefinition, Promise

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(
    tmp_path: Path,
    draft: Promise,
    bob: User,
    move: Callable[[Promise, str], Promise],
) -> Evidence:
    promise = move(draft, "feasibility_review")
    review = gate_review_open(gate=GateDefinition.objects.get(code="G1"), promise=promise, by=bob)
    upload = SimpleUploadedFile("capacity.csv", b"week,agents\n1,14\n", content_type="text/csv")
    with override_settings(MEDIA_ROOT=tmp_path):
        return evidence_add(review=review, by=bob, kind="file", file=upload)


def test_logged_in_reader_downloads_the_file(
    client: Client, victor: User, evidence: Evidence, tmp_path: Path
) -> None:
    client.force_login(victor)
    with override_settings(MEDIA_ROOT=tmp_path):
        response = client.get(f"/promises/evidence/{evidence.pk}/file/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"week,agents\n1,14\n"  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]


def test_anonymous_visitor_is_sent_to_login(client: Client, evidence: Evidence) -> None:
    response = client.get(f"/promises/evidence/{evidence.pk}/file/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_text_evidence_has_no_file(client: Client, victor: User, evidence: Evidence) -> None:
    text = Evidence.objects.create(review=evidence.review, kind="text", text="ok")
    client.force_login(victor)
    assert client.get(f"/promises/evidence/{text.pk}/file/").status_code == 404
