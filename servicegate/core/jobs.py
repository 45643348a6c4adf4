"""Background jobs: register a kind, start a job, report progress.

A job kind is a function ``(job, progress) -> dict`` that does the work and returns a
JSON-able result; ``progress(done, total, message)`` stores progress so the UI can show
it. ``job_start`` records the job and enqueues it on the configured tasks backend (the
database worker on the embedded default, Redis workers for scale-out). The registry of
kinds and the run of one job live in ``job_kinds`` (the task imports that, not this).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from servicegate.core.job_kinds import Progress, is_job_kind, register_job_kind
from servicegate.core.models import Job
from servicegate.core.tasks import run_job

__all__ = ["Progress", "job_start", "register_job_kind"]


def job_start(*, kind: str, title: str, params: dict[str, Any], by: User | None = None) -> Job:
    """Record a job and enqueue it once the surrounding transaction commits."""
    if not is_job_kind(kind):
        raise ValueError(f"There is no background job kind {kind!r}.")
    job = Job.objects.create(kind=kind, title=title[:200], params=params, created_by=by)
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job
