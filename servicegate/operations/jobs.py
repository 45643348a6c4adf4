"""The "import" background job: an upload from the UI imported by the worker.

The worker has no request, so the job runs in the language the upload was made in
(kept in the job's parameters), else the one the uploading user chose, else the site's
default: a failure is stored in the words the user reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

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
        progress(done, total, translation.gettext("reading"))

    def stage(message: str) -> None:
        progress(state["done"], None, message)

    try:
        with translation.override(params.get("language") or language_of(by)):
            summary = tickets_import(
                format=params["format"],
                path=Path(params["path"]),
                mapping=params.get("mapping", ""),
                timezone=params.get("timezone", ""),
                skip_invalid=bool(params.get("skip_invalid")),
                encoding=params.get("encoding", ""),
                by=by,
                progress=bytes_read,
                stage_message=stage,
            )
    except ImportFailure as exc:
        raise RuntimeError(str(exc)) from None
    return summary.as_dict()


def language_of(user: AbstractBaseUser | None) -> str:
    """The interface language ``user`` chose in their profile, else the site's default."""
    language = getattr(getattr(user, "profile", None), "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
