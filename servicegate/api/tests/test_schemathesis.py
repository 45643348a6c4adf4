"""A bounded schemathesis run against the API: no server errors, only documented answers.

Every operation of the OpenAPI document runs through schemathesis's examples, coverage
and fuzzing phases (valid and invalid requests: positive and negative generation), and
the stateful phase chains operations (an id one answer gives is used by the next), as
a service manager and as a viewer, through the WSGI application in the test database,
with a fixed seed. Each answer is checked: no 5xx, a status the document lists, a body
matching the documented schema and content type, and no invalid request accepted.
SERVICEGATE_FUZZ_EXAMPLES raises the number of fuzzed examples per operation (and of
stateful scenarios) for a longer run; the coverage phase's cases follow from the
document.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from servicegate.accounts.services import token_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("fuzz")]

SEED = 20261204
EXAMPLES = int(os.environ.get("SERVICEGATE_FUZZ_EXAMPLES", "3"))
MODES = [HypothesisTestMode.EXAMPLES, HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    negative_data_rejection,
]
# Writes that start real work or end the caller's own token are left out of the fuzzing.
SKIPPED = {("DELETE", "/api/v1/auth/token"), ("POST", "/api/v1/auth/token")}
STATEFUL_STEPS = 6


@dataclass
class Run:
    """What one role's run did: cases sent, failures found, seconds taken."""

    cases: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


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


def _run(user: User) -> Run:
    _token, raw = token_create(user=user, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    run = Run()
    started = time.monotonic()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI document is invalid: {result}"
        operation = result.ok()
        if (operation.method.upper(), operation.full_path) in SKIPPED:
            continue

        def check(case: Any) -> None:
            run.cases += 1
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:  # a group of failures
                run.failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:600]}")

        test = create_test(
            operation=operation,
            test_func=check,
            config=HypothesisTestConfig(
                project=schema.config,
                modes=MODES,
                settings=settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                ),
                seed=SEED,
            ),
        )
        test()
    run.seconds = time.monotonic() - started
    name, count = user.get_username(), len(run.failures)
    print(f"{name}: {run.cases} cases, {count} failures in {run.seconds:.0f} s")
    return run


def _run_stateful(user: User) -> Run:
    """Scenarios of up to STATEFUL_STEPS calls linked by the ids their answers give."""
    _token, raw = token_create(user=user, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    machine = schema.exclude(path_regex="^/api/v1/auth/token$").as_state_machine()
    run = Run()

    class Scenario(machine):  # type: ignore[misc,valid-type]
        """Each scenario starts from the same data: its writes are rolled back after it,
        so that Hypothesis, replaying a scenario, meets the answers it met before."""

        def setup(self) -> None:
            self.writes = transaction.atomic()
            self.writes.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.writes.__exit__(None, None, None)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
            run.cases += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:
                run.failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:600]}")

    started = time.monotonic()
    Scenario.run(
        settings=settings(
            max_examples=5 * EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    run.seconds = time.monotonic() - started
    name, count = user.get_username(), len(run.failures)
    print(f"{name} (stateful): {run.cases} calls, {count} failures in {run.seconds:.0f} s")
    return run


def test_no_server_errors_and_documented_answers_as_manager(bob: User) -> None:
    run = _run(bob)
    assert not run.failures, "\n\n".join(run.failures)


def test_no_server_errors_and_documented_answers_as_viewer(victor: User) -> None:
    run = _run(victor)
    assert not run.failures, "\n\n".join(run.failures)


def test_stateful_scenarios_as_manager(bob: User) -> None:
    run = _run_stateful(bob)
    assert not run.failures, "\n\n".join(run.failures)


def test_stateful_scenarios_as_viewer(victor: User) -> None:
    run = _run_stateful(victor)
    assert not run.failures, "\n\n".join(run.failures)
