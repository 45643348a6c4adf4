"""A bounded schemathesis run against the API: no server errors, only documented statuses.

Every operation of the OpenAPI document gets a few generated requests (fixed seed) as a
service manager and as a viewer, through the WSGI application in the test database.
SERVICEGATE_FUZZ_EXAMPLES raises the number of examples per operation for a longer run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from servicegate.accounts.services import token_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("fuzz")]

EXAMPLES = int(os.environ.get("SERVICEGATE_FUZZ_EXAMPLES", "3"))
# Writes that start real work or end the caller's own token are left out of the fuzzing.
SKIPPED = {("DELETE", "/api/v1/auth/token"), ("POST", "/api/v1/auth/token")}


@pytest.fixture(autouse=True)
def _keep_the_connection() -> Iterator[None]:
    """The WSGI handler closes a connection that saw an error after each request; the
    test database lives on that connection (Django's test client disconnects it too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(user: User) -> list[str]:
    _token, raw = token_create(user=user, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI document is invalid: {result}"
        operation = result.ok()
        if (operation.method.upper(), operation.full_path) in SKIPPED:
            continue

        @seed(20261204)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            try:
                case.validate_response(
                    response,
                    checks=[
                        not_a_server_error,
                        status_code_conformance,
                        response_schema_conformance,
                    ],
                )
            except (Exception, BaseExceptionGroup) as exc:  # a group of failures
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:400]}")

        check()
    return failures


def test_no_server_errors_and_documented_statuses_as_manager(bob: User) -> None:
    failures = _run(bob)
    assert not failures, "\n\n".join(failures)


def test_no_server_errors_and_documented_statuses_as_viewer(victor: User) -> None:
    failures = _run(victor)
    assert not failures, "\n\n".join(failures)
