"""The demo's agile team step: two teams, a column at its WIP limit, 8+ weeks of done
cards, retros with KVP actions, feedback, a filled matrix with gaps, delegation,
initiatives with members from sales and service, articles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from servicegate.core.demo import build_demo
from servicegate.improvement.models import Action
from servicegate.team.models import (
    Article,
    Card,
    Delegation,
    FeedbackNote,
    Initiative,
    Retrospective,
    SkillAssessment,
    Team,
)
from servicegate.team.selectors import board, flow, skills_matrix


@pytest.mark.django_db(transaction=False)
def test_the_demo_builds_two_working_teams() -> None:
    from servicegate.accounts.services import sync_roles

    sync_roles()
    lines: list[str] = []
    build_demo(seed=7, report=lines.append)
    assert Team.objects.count() == 2
    now = timezone.now()
    south = Team.objects.get(name="Service Süd")
    assert any(c.at_limit for c in board(south, now=now))
    for team in Team.objects.all():
        done = Card.objects.filter(team=team, done_at__isnull=False)
        assert done.filter(done_at__lt=now - timedelta(weeks=8)).exists()
        weeks = flow(team, weeks=8, now=now).throughput
        assert sum(1 for w in weeks if w) >= 7, weeks
    assert Retrospective.objects.count() == 8
    assert Action.objects.filter(source="retrospective").count() >= 8
    assert FeedbackNote.objects.count() >= 6
    assert SkillAssessment.objects.filter(lead_level__isnull=False).exists()
    assert skills_matrix().gaps
    assert Delegation.objects.count() == 6
    initiative = Initiative.objects.get(title__startswith="Sell preventive")
    departments = {m.user.groups.first().name for m in initiative.members.all()}  # type: ignore[union-attr]
    assert {"sales", "service_manager", "technician"} <= departments
    assert Article.objects.count() >= 4
    assert any(line.startswith("demo: 2 teams") for line in lines)
