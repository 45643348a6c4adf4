"""A calendar change and a change of a promise's clock rules recompute the clocks."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from servicegate.calendars.services import calendar_save
from servicegate.core.models import Job
from servicegate.measurement.models import Clock
from servicegate.measurement.services import clocks_recompute
from servicegate.measurement.tests.conftest import NOW, OFFICE


def test_promise_rule_change_recomputes(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    promise = make_promise(target_value=Decimal(4))
    make_ticket("T-1", [(0, "new"), (300, "resolved")])
    clocks_recompute(now=NOW)
    assert Clock.objects.get().state == "missed"
    # when the target is relaxed to 6 h
    with django_capture_on_commit_callbacks(execute=True):
        promise.target_value = Decimal(6)
        promise.save()
    # then a job recomputed the clock
    job = Job.objects.filter(kind="clocks_recompute").latest("pk")
    assert job.status == Job.Status.SUCCEEDED
    clock = Clock.objects.get()
    assert (clock.state, clock.target_s) == ("met", 6 * 3600)


def test_unrelated_promise_change_starts_no_job(
    make_promise: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    promise = make_promise()  # a new promise in service starts one job
    jobs = Job.objects.filter(kind="clocks_recompute").count()
    with django_capture_on_commit_callbacks(execute=True):
        promise.title = "Renamed"
        promise.save()
    assert Job.objects.filter(kind="clocks_recompute").count() == jobs


def test_calendar_change_recomputes(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    persona: Callable[[str], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ada = persona("ada")
    calendar = calendar_save(
        calendar=None, name="Switchable", description="", source=OFFICE, by=ada
    )
    make_promise(target_value=Decimal(4), target_unit="business_hours", calendar=calendar)
    # opened Monday 15:00, resolved Tuesday 10:00: 3 business hours on the office calendar
    make_ticket("T-2", [(7 * 60, "new"), (26 * 60, "resolved")])
    clocks_recompute()
    assert Clock.objects.get().business_elapsed_s == 3 * 3600
    # when the calendar becomes 24x7
    always = 'timezone = "UTC"\n[week]\n' + "\n".join(
        f'{d} = ["00:00-24:00"]' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    )
    with django_capture_on_commit_callbacks(execute=True):
        calendar_save(calendar=calendar, name="Switchable", description="", source=always, by=ada)
    # then the clock was recomputed on the new calendar: 19 h, missed
    clock = Clock.objects.get()
    assert clock.business_elapsed_s == 19 * 3600
    assert clock.state == "missed"


def test_retiring_a_promise_removes_its_clocks_and_summary(
    make_promise: Callable[..., Any],
    make_ticket: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from servicegate.measurement.models import ClockSummary

    promise = make_promise()
    make_ticket("T-3", [(0, "new"), (60, "resolved")])
    clocks_recompute(now=NOW)
    assert ClockSummary.objects.filter(promise=promise).exists()
    with django_capture_on_commit_callbacks(execute=True):
        promise.state = "retired"
        promise.save()
    assert not Clock.objects.exists()
    assert not ClockSummary.objects.filter(promise=promise).exists()


def test_paused_triggers_start_no_job(
    make_promise: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    """Bulk work (the demo) pauses the triggers and recomputes once at its end."""
    from servicegate.measurement.jobs import triggers_paused

    promise = make_promise(target_value=Decimal(4))
    before = Job.objects.count()
    with triggers_paused():
        promise.target_value = Decimal(8)
        promise.save()
    assert Job.objects.count() == before
    promise.target_value = Decimal(6)
    promise.save()
    assert Job.objects.count() == before + 1
