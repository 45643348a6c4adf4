"""What `/api/v1/health` and `/api/v1/health/ready` report.

``health_report``: the database, the background workers' heartbeats and the age of the
oldest job waiting in the queue. ``readiness``: whether this process can serve (the
database answers and every migration is applied), for a load balancer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max, Min
from django.utils import timezone

from servicegate.core.heartbeat import dead_after
from servicegate.core.models import Job, WorkerHeartbeat

_ready = {"migrated": False}


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _oldest_queued() -> datetime | None:
    oldest: datetime | None = Job.objects.filter(status=Job.Status.QUEUED).aggregate(
        at=Min("created_at")
    )["at"]
    if str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.filter(status="READY").aggregate(at=Min("enqueued_at"))
        if ready["at"] is not None and (oldest is None or ready["at"] < oldest):
            oldest = ready["at"]
    return oldest


def health_report() -> tuple[int, dict[str, Any]]:
    """The HTTP status and the body of the health check."""
    if not _database_ok():
        return 503, {
            "status": "degraded",
            "database": "unreachable",
            "worker": "unknown",
            "worker_seen_at": None,
            "queued": 0,
            "queue_age_seconds": None,
        }
    now = timezone.now()
    immediate = str(settings.TASKS["default"]["BACKEND"]).endswith("ImmediateBackend")
    seen = WorkerHeartbeat.objects.aggregate(at=Max("seen_at"))["at"]
    if immediate:
        worker = "not_needed"
    elif seen is None:
        worker = "missing"
    elif now - seen > dead_after():
        worker = "stale"
    else:
        worker = "ok"
    oldest = _oldest_queued()
    age = max(0.0, (now - oldest).total_seconds()) if oldest else None
    queued = Job.objects.filter(status=Job.Status.QUEUED).count()
    too_old = age is not None and age > settings.SERVICEGATE_QUEUE_AGE_LIMIT
    ok = worker in {"ok", "not_needed"} and not too_old
    return 200, {
        "status": "ok" if ok else "degraded",
        "database": "ok",
        "worker": worker,
        "worker_seen_at": seen,
        "queued": queued,
        "queue_age_seconds": round(age, 1) if age is not None else None,
    }


def readiness() -> tuple[int, dict[str, str]]:
    """200 when this process can serve requests, else 503 with the reason."""
    if not _database_ok():
        return 503, {"status": "not_ready", "detail": "The database does not answer."}
    if not _ready["migrated"]:
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            return 503, {"status": "not_ready", "detail": "The database does not answer."}
        if pending:
            return 503, {
                "status": "not_ready",
                "detail": f"{len(pending)} migrations are not applied: run `servicegate migrate`.",
            }
        _ready["migrated"] = True
    return 200, {"status": "ready", "detail": "Servicegate can serve requests."}
