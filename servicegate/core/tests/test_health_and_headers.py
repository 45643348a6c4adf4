"""Health checks, request ids in JSON logs, the Content-Security-Policy, the API docs."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

from servicegate.core.logging import JsonFormatter, RequestIdFilter
from servicegate.core.models import Job, WorkerHeartbeat
from servicegate.core.tests.test_settings_errors import run_cli

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_health_reports_database_and_no_worker_needed_for_immediate_tasks(client: Client) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["worker"] == "not_needed"
    assert body["queued"] == 0
    assert body["queue_age_seconds"] is None


@override_settings(TASKS=DATABASE_TASKS)
def test_health_is_degraded_without_a_worker_heartbeat(client: Client) -> None:
    body = client.get("/api/v1/health").json()
    assert (body["status"], body["worker"]) == ("degraded", "missing")
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", started_at=now, seen_at=now - timedelta(hours=1))
    assert client.get("/api/v1/health").json()["worker"] == "stale"
    WorkerHeartbeat.objects.filter(worker_id="w").update(seen_at=now)
    body = client.get("/api/v1/health").json()
    assert (body["status"], body["worker"]) == ("ok", "ok")
    assert body["worker_seen_at"] is not None


@override_settings(TASKS=DATABASE_TASKS, SERVICEGATE_QUEUE_AGE_LIMIT=300)
def test_health_reports_the_age_of_the_oldest_queued_job(client: Client) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", started_at=now, seen_at=now)
    job = Job.objects.create(kind="import", title="waiting")
    Job.objects.filter(pk=job.pk).update(created_at=now - timedelta(minutes=10))
    body = client.get("/api/v1/health").json()
    assert body["queued"] == 1
    assert 590 <= body["queue_age_seconds"] <= 700
    assert body["status"] == "degraded"


def test_ready_answers_200_when_migrated(client: Client) -> None:
    response = client.get("/api/v1/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "detail": "Servicegate can serve requests."}


def test_the_health_checks_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"200", "503"} <= set(paths["/api/v1/health"]["get"]["responses"])
    assert {"200", "503"} <= set(paths["/api/v1/health/ready"]["get"]["responses"])


def test_every_response_carries_a_request_id_and_a_given_one_is_kept(client: Client) -> None:
    generated = client.get("/api/v1/health")["X-Request-ID"]
    assert len(generated) == 32
    given = client.get("/api/v1/health", headers={"X-Request-ID": "lb-42.a_b"})
    assert given["X-Request-ID"] == "lb-42.a_b"
    hostile = client.get("/api/v1/health", headers={"X-Request-ID": 'x"\n{evil}'})
    assert hostile["X-Request-ID"] != 'x"\n{evil}'


def test_json_logs_carry_the_request_id(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="servicegate.request"):
        client.get("/api/v1/health", headers={"X-Request-ID": "req-7"})
    (record,) = [r for r in caplog.records if r.name == "servicegate.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-7"
    assert line["level"] == "INFO"
    assert line["message"] == "GET /api/v1/health 200"
    assert line["status"] == 200 and line["path"] == "/api/v1/health"
    assert isinstance(line["duration_ms"], float)


def test_a_log_format_other_than_text_or_json_is_refused(tmp_path: object) -> None:
    result = run_cli(
        "check",
        env={
            "SERVICEGATE_DATA_DIR": str(tmp_path),
            "SERVICEGATE_LOG_FORMAT": "xml",
            "SECRET_KEY": "a-long-secret-key-for-this-settings-test-0123456789",
        },
    )
    assert result.returncode == 2
    assert "SERVICEGATE_LOG_FORMAT must be text or json, not 'xml'." in result.stderr


def test_pages_carry_a_content_security_policy(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'unsafe-hashes' 'sha256-" in policy
    assert "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_allowed_inline_handler_is_the_one_the_templates_use() -> None:
    import base64
    import hashlib
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    handlers = set()
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        for part in text.split('onchange="')[1:]:
            handlers.add(part.split('"')[0])
    allowed = {
        source
        for source in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
        if source.startswith("'sha256-")
    }
    for handler in handlers:
        digest = base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, f"{handler!r} is blocked by the policy"


def test_the_api_docs_need_a_login_and_load_nothing_from_a_cdn(client: Client, bob: User) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/openapi.json").status_code == 200  # clients read it
    client.force_login(bob)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()
    assert "https://" not in docs.content.decode()


def test_the_measurement_figures_are_computed_once_per_state(
    client: Client, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicegate.measurement import selectors

    calls: list[int] = []
    original = selectors.overall

    def counting(*, promises: Any) -> Any:
        calls.append(1)
        return original(promises=promises)

    monkeypatch.setattr(selectors, "overall", counting)
    client.force_login(bob)
    assert client.get("/measurement/").status_code == 200
    assert client.get("/measurement/").status_code == 200
    assert len(calls) == 1
    assert client.get("/measurement/?period=week").status_code == 200
    assert len(calls) == 2  # other filters, other figures
