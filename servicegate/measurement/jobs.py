"""The "clocks_recompute" background job and the signals that start it."""

from __future__ import annotations

from typing import Any

from servicegate.calendars.models import BusinessCalendar
from servicegate.core.bulk import paused as _paused
from servicegate.core.bulk import triggers_paused as triggers_paused
from servicegate.core.jobs import Progress, register_job_kind
from servicegate.core.models import Job
from servicegate.promises.models import Promise

#: Promise fields whose change changes clocks: the clock rules and the scope.
CLOCK_FIELDS = (
    "metric",
    "target_value",
    "target_unit",
    "calendar_id",
    "clock_start_statuses",
    "clock_pause_statuses",
    "clock_stop_statuses",
    "reopen_behaviour",
    "warning_percent",
    "product_id",
    "segment_id",
    "priority",
    "customer_id",
    "contract_id",
    "state",
    "valid_from",
    "valid_to",
)


@register_job_kind("clocks_recompute")
def run_recompute(job: Job, progress: Progress) -> dict[str, Any]:
    """Recompute the clocks of ``params["promise"]``, ``params["calendar"]`` or all."""
    from servicegate.measurement.services import clocks_recompute

    params = job.params
    promise = Promise.objects.filter(pk=params.get("promise") or 0).first()
    calendar = BusinessCalendar.objects.filter(pk=params.get("calendar") or 0).first()
    if params.get("promise") and promise is None:
        return {"tickets": 0, "clocks": 0, "detail": "The promise no longer exists."}

    def report(done: int, total: int | None, message: str) -> None:
        progress(done, total, message)

    result = clocks_recompute(promise=promise, calendar=calendar, progress=report)
    return {
        "tickets": result.tickets,
        "clocks": result.clocks,
        "written": result.written,
        "seconds": result.seconds,
    }


def clock_fields(promise: Promise) -> tuple[Any, ...]:
    return tuple(getattr(promise, name) for name in CLOCK_FIELDS)


def on_promise_pre_save(sender: type[Promise], instance: Promise, **kwargs: Any) -> None:
    """Remember the clock fields as stored, to compare after the save."""
    before = Promise.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._clock_fields_before = clock_fields(before) if before else None  # type: ignore[attr-defined]


def on_promise_post_save(sender: type[Promise], instance: Promise, **kwargs: Any) -> None:
    """Recompute in the background when a measured promise's clock fields changed."""
    from servicegate.measurement.rules import is_clocked
    from servicegate.measurement.services import clocks_recompute_start

    if kwargs.get("raw") or _paused.get():
        return
    before = getattr(instance, "_clock_fields_before", None)
    if before == clock_fields(instance):
        return
    if before is None and not is_clocked(instance):
        return  # a new draft has no clocks yet
    from servicegate.measurement.models import Clock

    if not is_clocked(instance) and not Clock.objects.filter(promise=instance).exists():
        return  # neither had nor gets clocks
    clocks_recompute_start(by=None, promise=instance, check=False)


def on_calendar_changed(sender: Any, calendar: BusinessCalendar, **kwargs: Any) -> None:
    """Recompute the clocks of every promise on a calendar whose definition changed."""
    from servicegate.measurement.services import clocks_recompute_start

    if _paused.get():
        return
    if Promise.objects.filter(calendar=calendar).exists():
        clocks_recompute_start(by=None, calendar=calendar, check=False)
