"""Breach findings raised automatically: threshold, one per promise/cause/month, no flood."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import translation

from servicegate.improvement.breaches import breach_findings_raise
from servicegate.improvement.choices import FindingStatus
from servicegate.improvement.models import Finding
from servicegate.improvement.services import finding_close
from servicegate.improvement.tests.conftest import NOW, Summarise
from servicegate.promises.models import Promise


@override_settings(SERVICEGATE_BREACH_FINDING_THRESHOLD=5)
def test_a_cause_that_reaches_the_threshold_in_the_month_raises_one_finding(
    promise: Promise, summarise: Summarise
) -> None:
    # given 6 queue breaches this month (over two days), 4 work breaches, and old ones
    summarise(promise, NOW.date().replace(day=2), 5, 1, "queue")
    summarise(promise, NOW.date().replace(day=3), 4, 2, "queue")
    summarise(promise, NOW.date().replace(day=3), 4, 0, "work")
    summarise(promise, NOW.date().replace(day=1) - timedelta(days=3), 20, 0, "work")
    # when the check runs twice
    created = breach_findings_raise(now=NOW)
    again = breach_findings_raise(now=NOW)
    # then one finding for the queue, none for work, none the second time
    assert [(f.cause, f.breaches, f.source) for f in created] == [("queue", 6, "breach")]
    assert again == []
    finding = Finding.objects.get()
    assert finding.promise == promise and finding.product == promise.product
    assert finding.period_start == NOW.date().replace(day=1)
    assert "6 breaches" in finding.title


@override_settings(SERVICEGATE_BREACH_FINDING_THRESHOLD=2)
def test_more_breaches_update_the_count_and_a_closed_finding_is_not_raised_again(
    promise: Promise, summarise: Summarise, quinn: User
) -> None:
    summarise(promise, NOW.date(), 3, 0, "queue")
    (finding,) = breach_findings_raise(now=NOW)
    finding_close(finding=finding, by=quinn)
    summarise(promise, NOW.date(), 4, 0, "queue")
    assert breach_findings_raise(now=NOW) == []
    finding.refresh_from_db()
    assert finding.breaches == 7 and finding.status == FindingStatus.CLOSED


@override_settings(SERVICEGATE_BREACH_FINDING_THRESHOLD=1, SERVICEGATE_BREACH_FINDINGS_PER_RUN=2)
def test_one_run_raises_at_most_the_configured_number_worst_first(
    promise: Promise, summarise: Summarise
) -> None:
    for cause, breaches in (("queue", 3), ("work", 9), ("reassignments", 5)):
        summarise(promise, NOW.date(), breaches, 0, cause)
    first = breach_findings_raise(now=NOW)
    assert [f.cause for f in first] == ["work", "reassignments"]
    assert [f.cause for f in breach_findings_raise(now=NOW)] == ["queue"]


@override_settings(SERVICEGATE_BREACH_FINDING_THRESHOLD=1)
def test_a_breach_finding_reads_in_the_readers_language(
    promise: Promise, summarise: Summarise
) -> None:
    summarise(promise, NOW.date(), 2, 0, "queue")
    (finding,) = breach_findings_raise(now=NOW)
    with translation.override("de"):
        assert finding.display_title.startswith("2 Verletzungen von „")
        assert finding.display_title.endswith("in 2026-06: Wartezeit in der Warteschlange")
    assert finding.display_title == finding.title
