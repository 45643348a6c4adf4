"""Job kinds: the registry of what each kind of background job runs, and one job's run.

``register_job_kind`` makes a function ``(job, progress) -> dict`` the implementation of
a kind; ``job_run`` runs a recorded job in this process and stores its progress, result
or failure on the ``Job`` row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from django.utils import timezone

from servicegate.core.heartbeat import current_worker_id
from servicegate.core.locks import exclusive_import
from servicegate.core.models import Job

logger = logging.getLogger(__name__)


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None, message: str = "") -> None: ...


JobFunction = Callable[[Job, Progress], dict[str, Any]]
_KINDS: dict[str, JobFunction] = {}
#: Kinds that take the import lock: on SQLite one runs at a time (see ``core.locks``).
EXCLUSIVE_KINDS = {"import"}


def register_job_kind(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Decorator: make ``func`` the implementation of jobs of ``kind``."""

    def decorator(func: JobFunction) -> JobFunction:
        _KINDS[kind] = func
        return func

    return decorator


def is_job_kind(kind: str) -> bool:
    """Whether a function is registered for jobs of ``kind``."""
    return kind in _KINDS


def job_run(job_id: int) -> None:
    """Run the job ``job_id`` in this process (called by the task on the worker)."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), worker_id=current_worker_id()
    )

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, Any] = {"done": done, "message": message[:2000]}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=job_id).update(**fields)

    try:
        if job.kind in EXCLUSIVE_KINDS:
            with exclusive_import(say=lambda text: progress(0, None, text)):
                result = _KINDS[job.kind](job, progress)
        else:
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
