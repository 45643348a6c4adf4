"""Background jobs: register a kind, start a job, report progress.

A job kind is a function ``(job, progress) -> dict`` that does the work and returns a
JSON-able result; ``progress(done, total, message)`` stores progress so the UI can show
it. ``job_start`` records the job and enqueues it on the configured tasks backend (the
database worker on the embedded default, Redis workers for scale-out).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from servicegate.core.models import Job

logger = logging.getLogger(__name__)


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None, message: str = "") -> None: ...


JobFunction = Callable[[Job, Progress], dict[str, Any]]
_KINDS: dict[str, JobFunction] = {}


def register_job_kind(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Decorator: make ``func`` the implementation of jobs of ``kind``."""

    def decorator(func: JobFunction) -> JobFunction:
        _KINDS[kind] = func
        return func

    return decorator


def job_start(*, kind: str, title: str, params: dict[str, Any], by: User | None = None) -> Job:
    """Record a job and enqueue it once the surrounding transaction commits."""
    if kind not in _KINDS:
        raise ValueError(f"There is no background job kind {kind!r}.")
    job = Job.objects.create(kind=kind, title=title[:200], params=params, created_by=by)
    from servicegate.core.tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def job_run(job_id: int) -> None:
    """Run the job ``job_id`` in this process (called by the task on the worker)."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, Any] = {"done": done, "message": message[:2000]}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=job_id).update(**fields)

    try:
        result = _KINDS[job.kind](job, progress)
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, result=result, finished_at=timezone.now()
    )
