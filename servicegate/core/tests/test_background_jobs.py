"""Background jobs run on the database worker and on Redis-backed workers."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from servicegate.core.jobs import Progress, job_start, register_job_kind
from servicegate.core.models import Job


@register_job_kind("test_sum")
def _sum_job(job: Job, progress: Progress) -> dict[str, Any]:
    numbers = list(job.params["numbers"])
    total = 0
    for i, n in enumerate(numbers, start=1):
        total += n
        progress(i, len(numbers), f"added {n}")
    return {"sum": total}


@register_job_kind("test_fail")
def _failing_job(job: Job, progress: Progress) -> dict[str, Any]:
    raise ValueError("The input file has no header row.")


def _reset_backends() -> None:
    """Forget the configured task backends so the next use reads TASKS again."""
    from asgiref.local import Local
    from django_tasks import task_backends

    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None  # type: ignore[attr-defined]
    task_backends._connections = Local(task_backends.thread_critical)  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_immediate_backend_runs_job_and_records_progress() -> None:
    job = job_start(kind="test_sum", title="sum", params={"numbers": [1, 2, 3]})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"sum": 6}
    assert (job.done, job.total, job.percent) == (3, 3, 100)


@pytest.mark.django_db(transaction=True)
def test_failure_is_recorded_with_its_sentence() -> None:
    job = job_start(kind="test_fail", title="fail", params={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "The input file has no header row."


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="no background job kind"):
        job_start(kind="nope", title="x", params={})


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_queued_jobs() -> None:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        _reset_backends()
        try:
            job = job_start(kind="test_sum", title="sum", params={"numbers": [5, 6]})
            job.refresh_from_db()
            assert job.status == Job.Status.QUEUED  # waits for a worker
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
            job.refresh_from_db()
            assert job.status == Job.Status.SUCCEEDED
            assert job.result == {"sum": 11}
        finally:
            _reset_backends()


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/15").ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.mark.django_db(transaction=True)
def test_redis_backend_runs_jobs_on_an_rq_worker() -> None:
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis on 127.0.0.1:6379 is required in CI.")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import django_rq
    from django_tasks_rq.backend import Job as RQJob
    from rq import SimpleWorker

    queues = {"default": {"URL": "redis://127.0.0.1:6379/15", "DEFAULT_TIMEOUT": 60}}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks, RQ_QUEUES=queues):
        django_rq.settings.QUEUES = queues  # django-rq reads its settings once at import
        _reset_backends()
        try:
            queue = django_rq.get_queue("default", job_class=RQJob)
            queue.empty()  # type: ignore[no-untyped-call]
            job = job_start(kind="test_sum", title="sum", params={"numbers": [20, 22]})
            assert queue.count == 1
            worker = SimpleWorker([queue], connection=queue.connection, job_class=RQJob)
            worker.work(burst=True)
            job.refresh_from_db()
            assert job.status == Job.Status.SUCCEEDED
            assert job.result == {"sum": 42}
        finally:
            _reset_backends()
