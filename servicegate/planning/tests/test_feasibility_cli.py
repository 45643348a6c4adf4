"""`servicegate feasibility PROMISE_ID [--extra-per-week N] [--attach] [--json]`."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from servicegate.promises.models import Evidence, GateReview, Promise


@pytest.fixture
def loaded(team: Callable[[int], list[object]], tickets: Callable[..., int]) -> None:
    team(10)
    tickets(50)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("feasibility", *args, stdout=out)
    return out.getvalue()


def test_json_has_inputs_and_assessment(promise: Promise, loaded: None) -> None:
    body = json.loads(_run(str(promise.pk), "--extra-per-week", "3", "--json"))
    assert set(body) == {"promise", "inputs", "assessment"}
    assert body["assessment"]["verdict"] == "green"
    for key in ("probability_met", "staffing_needed", "history_ci95", "reasons", "agents"):
        assert key in body["assessment"]
    for key in (
        "arrivals_per_week",
        "extra_arrivals_per_week",
        "aht_seconds",
        "agents",
        "open_hours_per_week",
        "technicians",
        "history_tickets",
    ):
        assert key in body["inputs"]
    assert body["inputs"]["extra_arrivals_per_week"] == 3
    assert not Evidence.objects.exists()  # without --attach nothing is stored


def test_text_output_is_the_summary(promise: Promise, loaded: None) -> None:
    assert "Feasibility check: green." in _run(str(promise.pk))


def test_attach_as_the_first_decider(
    promise: Promise, g1_review: GateReview, bob: User, loaded: None
) -> None:
    body = json.loads(_run(str(promise.pk), "--attach", "--json"))
    assert body["attached"]["review"] == g1_review.pk
    assert Evidence.objects.get(review=g1_review).added_by == bob


def test_attach_as_a_viewer_is_refused(
    promise: Promise, g1_review: GateReview, victor: User, loaded: None
) -> None:
    with pytest.raises(CommandError) as err:
        _run(str(promise.pk), "--attach", "--as", "victor")
    assert err.value.returncode == 2


def test_unknown_promise_is_one_sentence_and_exit_code_2(db: None) -> None:
    with pytest.raises(CommandError, match=r"^There is no promise with id 999") as err:
        _run("999")
    assert err.value.returncode == 2
