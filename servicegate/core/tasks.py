"""Tasks for Django's tasks framework (run by `servicegate worker`)."""

from __future__ import annotations

from django_tasks import task

from servicegate.core.job_kinds import job_run


@task()
def run_job(job_id: int) -> None:
    """Run a recorded background job; its progress and result land on the Job row."""
    job_run(job_id)


@task()
def uploads_prune_task() -> int:
    """Delete the uploads of imports past their retention, and partial uploads a killed
    server process left (enqueued every minute)."""
    from servicegate.core.uploads import upload_temp_prune, uploads_prune

    return uploads_prune() + upload_temp_prune()
