"""The "import" background job: an upload from the UI imported by the worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from servicegate.core.jobs import Progress, register_job_kind
from servicegate.core.models import Job
from servicegate.importers.errors import ImportFailure
from servicegate.operations.services import tickets_import


@register_job_kind("import")
def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    """Import the uploaded file named in ``job.params``; report bytes read as progress."""
    params = job.params
    by = None
    if job.created_by_id is not None:
        by = get_user_model().objects.filter(pk=job.created_by_id).first()

    state = {"done": 0}

    def bytes_read(done: int, total: int) -> None:
        state["done"] = done
        progress(done, total, "reading")

    def stage(message: str) -> None:
        progress(state["done"], None, message)

    try:
        summary = tickets_import(
            format=params["format"],
            path=Path(params["path"]),
            mapping=params.get("mapping", ""),
            timezone=params.get("timezone", ""),
            skip_invalid=bool(params.get("skip_invalid")),
            by=by,
            progress=bytes_read,
            stage_message=stage,
        )
    except ImportFailure as exc:
        raise RuntimeError(str(exc)) from None
    return summary.as_dict()
