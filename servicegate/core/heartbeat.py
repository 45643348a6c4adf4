"""Worker heartbeats: a running worker says it is alive; jobs of a dead worker fail.

`servicegate worker` calls ``beat`` every ``SERVICEGATE_HEARTBEAT_SECONDS``; a worker not
seen for ``SERVICEGATE_WORKER_DEAD_AFTER`` seconds is dead: ``reap`` marks the jobs it
was running failed with a sentence and forgets the worker. Every worker reaps, so a
killed worker's jobs fail as soon as any worker runs (and ``health`` reports the rest).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from servicegate.core.models import Job, WorkerHeartbeat

logger = logging.getLogger(__name__)

#: The id of the worker this process is (set by `servicegate worker`), else "".
_current = {"worker_id": ""}


def current_worker_id() -> str:
    return _current["worker_id"]


def set_current_worker_id(worker_id: str) -> None:
    _current["worker_id"] = worker_id


def dead_after() -> timedelta:
    return timedelta(seconds=settings.SERVICEGATE_WORKER_DEAD_AFTER)


def beat(*, worker_id: str, started_at: datetime) -> None:
    """Record that ``worker_id`` is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def stop(*, worker_id: str) -> None:
    """Forget a worker that stops cleanly."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def reap(*, now: datetime | None = None) -> int:
    """Mark the running jobs of dead workers failed; returns how many jobs failed."""
    now = now or timezone.now()
    with transaction.atomic():
        dead = list(
            WorkerHeartbeat.objects.filter(seen_at__lt=now - dead_after()).values_list(
                "worker_id", "seen_at"
            )
        )
        alive = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) - {
            worker_id for worker_id, _seen in dead
        }
        running = Job.objects.filter(status=Job.Status.RUNNING).exclude(worker_id="")
        orphans = running.exclude(worker_id__in=alive)
        failed = 0
        seen = dict(dead)
        for job in orphans.only("pk", "worker_id"):
            last = seen.get(job.worker_id)
            when = f" (last seen {last:%Y-%m-%d %H:%M:%S %Z})" if last else ""
            failed += Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED,
                finished_at=now,
                message=(f"The worker running this job stopped{when}; start the job again."),
            )
        WorkerHeartbeat.objects.filter(worker_id__in=list(seen)).delete()
    if failed:
        logger.warning("marked %s job(s) of stopped workers failed", failed)
    return failed
