"""Uploads: a size limit on every request body, and retention of uploaded import files.

``UploadLimitMiddleware`` answers 413 with one sentence to a request whose body is
larger than ``SERVICEGATE_MAX_UPLOAD_MB``. ``uploads_prune`` deletes the uploaded files
of imports that finished more than ``SERVICEGATE_UPLOAD_RETENTION_DAYS`` days ago, and
upload folders of that age that no job names (left by a killed server).
``upload_temp_prune`` deletes the partial uploads a killed server left in
``FILE_UPLOAD_TEMP_DIR`` (under the data directory).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.core.models import Job

logger = logging.getLogger(__name__)


class UploadLimitMiddleware:
    """Refuse request bodies larger than the configured limit before reading them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit_mb = settings.SERVICEGATE_MAX_UPLOAD_MB
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit_mb * 1024 * 1024:
            text = _(
                "The upload is %(size)s MB; at most %(limit)s MB are accepted "
                "(SERVICEGATE_MAX_UPLOAD_MB)."
            ) % {"size": f"{length / 1024 / 1024:.0f}", "limit": limit_mb}
            if request.path.startswith("/api/"):
                import json

                return HttpResponse(
                    json.dumps({"detail": text}), status=413, content_type="application/json"
                )
            return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def uploads_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def uploads_prune(*, now: datetime | None = None) -> int:
    """Delete old upload folders of finished imports; returns how many were deleted."""
    root = uploads_root()
    if not root.is_dir():
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SERVICEGATE_UPLOAD_RETENTION_DAYS)
    active: set[Path] = set()
    finished_old: set[Path] = set()
    for status, finished_at, params in Job.objects.filter(kind="import").values_list(
        "status", "finished_at", "params"
    ):
        path = params.get("path") if isinstance(params, dict) else None
        if not path:
            continue
        folder = Path(path).parent
        if status in {Job.Status.QUEUED, Job.Status.RUNNING}:
            active.add(folder)
        elif finished_at is not None and finished_at < cutoff:
            finished_old.add(folder)
    deleted = 0
    for folder in root.iterdir():
        if not folder.is_dir() or folder in active:
            continue
        modified = datetime.fromtimestamp(
            folder.stat().st_mtime, tz=timezone.get_current_timezone()
        )
        if folder in finished_old or modified < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            deleted += 1
    if deleted:
        logger.info("deleted %s upload folder(s) older than the retention", deleted)
    return deleted


def upload_temp_dir() -> Path:
    """Where uploads are spooled while they arrive (``FILE_UPLOAD_TEMP_DIR``), created."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_temp_prune(*, now: float | None = None) -> int:
    """Delete spooled uploads not written for ``SERVICEGATE_UPLOAD_TEMP_MAX_MINUTES``.

    A running upload writes its file continuously and a finished request deletes it,
    so a file that old is what a killed server left. ``now`` is a Unix time (for tests).
    Returns how many files were deleted.
    """
    folder = upload_temp_dir()
    max_age = 60 * settings.SERVICEGATE_UPLOAD_TEMP_MAX_MINUTES
    cutoff = (time.time() if now is None else now) - max_age
    deleted = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except OSError:  # gone meanwhile, or not ours to delete: leave it
            continue
    if deleted:
        logger.info("deleted %s partial upload(s) left in %s", deleted, folder)
    return deleted
