"""A feasibility body that is not a JSON object is refused, not read as the defaults."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from servicegate.api.tests.test_api_foundation import token_for
from servicegate.promises.models import Promise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ["[null,null]", "null", "[]", "[1]"])
def test_a_body_that_is_no_object_is_422(
    client: Client, bob: User, promise: Promise, body: str
) -> None:
    headers = {"Authorization": f"Bearer {token_for(client, 'bob')}"}
    response = client.post(
        f"/api/v1/promises/{promise.pk}/feasibility",
        body,
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert "the body must be a JSON object" in response.json()["detail"]
