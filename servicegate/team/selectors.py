"""Reads of the team area: delegation, skills matrix, board, flow, feedback, knowledge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet

from servicegate.accounts.roles import DISPATCHER, ROLES
from servicegate.core.actors import Actor
from servicegate.engines import flow as flow_engine
from servicegate.team.choices import TEAM_DECIDES_FROM, DecisionArea, MemberRole
from servicegate.team.models import (
    Article,
    BoardColumn,
    Card,
    CardMove,
    Delegation,
    FeedbackNote,
    Initiative,
    RetroAction,
    Retrospective,
    Skill,
    SkillAssessment,
    SkillNeed,
    Team,
    TeamMember,
)

# ---------------------------------------------------------------- teams and leads


def teams() -> QuerySet[Team]:
    """All teams, by name."""
    return Team.objects.order_by("name")


def team_or_first(team_id: int | None) -> Team | None:
    """The team with ``team_id`` (None if unknown), or the first team when not given."""
    if team_id is not None:
        return Team.objects.filter(pk=team_id).first()
    return teams().first()


def team_of(user: Actor) -> Team | None:
    """The first team ``user`` belongs to (None if none)."""
    if not user.is_authenticated:
        return None
    return Team.objects.filter(members__user_id=user.pk).order_by("name").first()


def is_team_lead(user: Actor, team: Team | None = None) -> bool:
    """Whether ``user`` leads ``team`` (any team when None)."""
    if not user.is_authenticated:
        return False
    qs = TeamMember.objects.filter(user_id=user.pk, role=MemberRole.LEAD)
    return qs.filter(team=team).exists() if team is not None else qs.exists()


def is_team_member(user: Actor, team: Team) -> bool:
    """Whether ``user`` belongs to ``team`` (lead or member)."""
    return bool(user.is_authenticated and team.members.filter(user_id=user.pk).exists())


def leads_of(user: User) -> list[User]:
    """The leads of the teams ``user`` is a member of (not ``user`` themself)."""
    team_ids = TeamMember.objects.filter(user=user).values("team_id")
    return list(
        User.objects.filter(
            team_memberships__team_id__in=team_ids, team_memberships__role=MemberRole.LEAD
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("username")
    )


# ---------------------------------------------------------------- delegation


def delegation_level(area: str, team: Team | None = None) -> int:
    """The level of ``area`` for ``team`` (its own row, else the general one, else 1)."""
    rows = {d.team_id: d.level for d in Delegation.objects.filter(area=area)}
    if team is not None and team.pk in rows:
        return rows[team.pk]
    return rows.get(None, 1)


def decides_by_delegation(user: Actor, area: str) -> bool:
    """Whether ``user`` as a team lead decides ``area``: its level is 5 (advise) or more.

    The general level applies to every dispatcher and team lead; a team's own level
    to that team's lead (and overrides the general one for that team).
    """
    if not user.is_authenticated:
        return False
    rows = list(Delegation.objects.filter(area=area))
    general = next((d.level for d in rows if d.team_id is None), 1)
    led = set(
        TeamMember.objects.filter(user_id=user.pk, role=MemberRole.LEAD).values_list(
            "team_id", flat=True
        )
    )
    own = {d.team_id: d.level for d in rows if d.team_id is not None}
    if any(own.get(t, general) >= TEAM_DECIDES_FROM for t in led):
        return True
    is_dispatcher = user.groups.filter(name=DISPATCHER).exists()
    return bool(is_dispatcher and general >= TEAM_DECIDES_FROM)


@dataclass(frozen=True)
class DelegationRow:
    """One decision area on the delegation board."""

    area: str
    label: str
    level: int
    level_label: str
    team_decides: bool
    team_levels: list[tuple[Team, int]]


def delegation_board() -> list[DelegationRow]:
    """Every decision area with its general level and the teams' own levels (2 queries)."""
    from servicegate.team.choices import DelegationLevel

    rows = list(Delegation.objects.select_related("team"))
    out = []
    for area in DecisionArea:
        general = next((d.level for d in rows if d.area == area and d.team_id is None), 1)
        out.append(
            DelegationRow(
                area=area.value,
                label=str(area.label),
                level=general,
                level_label=str(DelegationLevel(general).label),
                team_decides=general >= TEAM_DECIDES_FROM,
                team_levels=[
                    (d.team, d.level) for d in rows if d.area == area and d.team is not None
                ],
            )
        )
    return out


# ---------------------------------------------------------------- skills matrix


@dataclass(frozen=True)
class MatrixPerson:
    """A row of the skills matrix."""

    user: User
    role: str
    levels: dict[int, int]
    self_levels: dict[int, int | None]
    lead_levels: dict[int, int | None]


@dataclass(frozen=True)
class SkillGap:
    """A product's need that the people do not cover."""

    product_id: int
    product: str
    skill_id: int
    skill: str
    level: int
    needed: int
    have: int

    @property
    def missing(self) -> int:
        return self.needed - self.have


@dataclass(frozen=True)
class SkillsMatrix:
    """Skills × people with levels 0–4 and the gaps against the products' needs."""

    skills: list[Skill]
    people: list[MatrixPerson]
    gaps: list[SkillGap] = field(default_factory=list)


def _matrix_users(team: Team | None) -> list[User]:
    members = TeamMember.objects.all() if team is None else TeamMember.objects.filter(team=team)
    ids = set(members.values_list("user_id", flat=True))
    if team is None:
        ids |= set(SkillAssessment.objects.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids).prefetch_related("groups").order_by("username"))


def skills_matrix(team: Team | None = None) -> SkillsMatrix:
    """The matrix of ``team`` (everyone in a team or assessed when None): five queries."""
    skills = list(Skill.objects.order_by("kind", "name"))
    users = _matrix_users(team)
    assessments: dict[int, dict[int, SkillAssessment]] = {}
    for a in SkillAssessment.objects.filter(user__in=users):
        assessments.setdefault(a.user_id, {})[a.skill_id] = a
    people = []
    for user in users:
        names = {g.name for g in user.groups.all()}
        mine = assessments.get(user.pk, {})
        people.append(
            MatrixPerson(
                user=user,
                role=next((r for r in ROLES if r in names), ""),
                levels={s: a.level for s, a in mine.items()},
                self_levels={s: a.self_level for s, a in mine.items()},
                lead_levels={s: a.lead_level for s, a in mine.items()},
            )
        )
    return SkillsMatrix(skills=skills, people=people, gaps=skill_gaps(people))


def skill_gaps(people: list[MatrixPerson]) -> list[SkillGap]:
    """Each product need with fewer people at the level than needed (one query)."""
    gaps = []
    for need in SkillNeed.objects.select_related("product", "skill").order_by(
        "product__name", "skill__name"
    ):
        have = sum(1 for p in people if p.levels.get(need.skill_id, 0) >= need.level)
        if have < need.people:
            gaps.append(
                SkillGap(
                    product_id=need.product_id,
                    product=need.product.name,
                    skill_id=need.skill_id,
                    skill=need.skill.name,
                    level=need.level,
                    needed=need.people,
                    have=have,
                )
            )
    return gaps


# ---------------------------------------------------------------- board


@dataclass(frozen=True)
class BoardCard:
    """A card as the board shows it."""

    card: Card
    age_days: float
    aging: bool
    override_reason: str


@dataclass(frozen=True)
class BoardColumnView:
    """A column with its cards, and whether it is at its WIP limit."""

    column: BoardColumn
    cards: list[BoardCard]

    @property
    def at_limit(self) -> bool:
        limit = self.column.wip_limit
        return limit is not None and len(self.cards) >= limit


def board(team: Team, *, now: datetime, done_days: int = 14) -> list[BoardColumnView]:
    """The team's columns with their cards (three queries); done columns show only the
    cards finished in the last ``done_days`` days."""
    columns = list(team.columns.order_by("order", "pk"))
    recent = now - timedelta(days=done_days)
    cards = list(
        Card.objects.filter(team=team)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=recent))
        .select_related("ticket")
        .order_by("column_since", "pk")
    )
    reasons: dict[int, str] = {}
    for move in CardMove.objects.filter(card__in=cards).exclude(override_reason="").order_by("at"):
        reasons[move.card_id] = move.override_reason
    by_column: dict[int, list[BoardCard]] = {c.pk: [] for c in columns}
    for card in cards:
        age = card.age_days(now)
        by_column.setdefault(card.column_id, []).append(
            BoardCard(
                card=card,
                age_days=round(age, 1),
                aging=card.done_at is None and age > team.aging_days,
                override_reason=reasons.get(card.pk, ""),
            )
        )
    return [BoardColumnView(column=c, cards=by_column[c.pk]) for c in columns]


def column_for_status(columns: list[BoardColumn], status: str) -> BoardColumn | None:
    """The first column whose item statuses include ``status``."""
    return next((c for c in columns if status in (c.statuses or [])), None)


# ---------------------------------------------------------------- flow


@dataclass(frozen=True)
class Flow:
    """The flow metrics of a team's board over a window of weeks."""

    weeks: list[datetime]
    throughput: list[int]
    cycle_times: list[tuple[Card, float]]
    p50: float | None
    p85: float | None
    wip: int
    aging: list[tuple[Card, float]]
    cfd_columns: list[BoardColumn]
    cfd_samples: list[datetime]
    cfd_counts: list[list[int]]


def flow(team: Team, *, weeks: int, now: datetime) -> Flow:
    """Throughput per week, cycle times with p50/p85, WIP, aging and cumulative flow
    of ``team`` over the ``weeks`` weeks up to ``now`` (four queries)."""
    start = now - timedelta(weeks=weeks)
    columns = list(team.columns.order_by("order", "pk"))
    done = list(
        Card.objects.filter(team=team, done_at__gte=start, done_at__lt=now).order_by("done_at")
    )
    counts = flow_engine.weekly_counts(
        [c.done_at.timestamp() for c in done if c.done_at], start=start.timestamp(), weeks=weeks
    )
    cycle = [(c, round(c.age_days(now), 4)) for c in done]
    days = [d for _c, d in cycle]
    open_cards = list(
        Card.objects.filter(team=team, done_at__isnull=True, started_at__isnull=False)
    )
    aging = sorted(((c, round(c.age_days(now), 2)) for c in open_cards), key=lambda x: -x[1])
    index = {c.pk: i for i, c in enumerate(columns)}
    moves = [
        (m.card_id, m.at.timestamp(), index[m.to_column_id])
        for m in CardMove.objects.filter(card__team=team, at__lt=now).only(
            "card_id", "at", "to_column_id"
        )
        if m.to_column_id in index
    ]
    samples = [start + timedelta(days=d) for d in range(0, weeks * 7 + 1, 1)]
    cfd = flow_engine.cumulative_flow(moves, [s.timestamp() for s in samples], len(columns))
    return Flow(
        weeks=[start + timedelta(weeks=i) for i in range(weeks)],
        throughput=counts,
        cycle_times=cycle,
        p50=flow_engine.percentile(days, 50),
        p85=flow_engine.percentile(days, 85),
        wip=len(open_cards),
        aging=aging,
        cfd_columns=columns,
        cfd_samples=samples,
        cfd_counts=cfd.tolist(),
    )


# ---------------------------------------------------------------- retros and feedback


def retrospectives(team: Team) -> QuerySet[Retrospective]:
    """The team's retrospectives, newest first, with their actions."""
    return team.retrospectives.prefetch_related("actions__owner").order_by("-date", "-pk")


def open_retro_actions(team: Team | None = None) -> QuerySet[RetroAction]:
    """Retro actions not done yet."""
    qs = RetroAction.objects.filter(done=False).select_related("owner", "retrospective__team")
    return qs if team is None else qs.filter(retrospective__team=team)


def may_read_feedback(user: User | AnonymousUser, note: FeedbackNote) -> bool:
    """Only the person and their lead read a feedback note."""
    return bool(user.is_authenticated and user.pk in (note.person_id, note.lead_id))


def feedback_visible_to(user: User) -> QuerySet[FeedbackNote]:
    """The notes ``user`` may read: about them, or written to them as the lead."""
    return (
        FeedbackNote.objects.filter(Q(person=user) | Q(lead=user))
        .select_related("person", "lead", "author")
        .order_by("-created_at", "-pk")
    )


# ---------------------------------------------------------------- initiatives


def initiatives() -> QuerySet[Initiative]:
    """All initiatives with their member counts, newest first."""
    return Initiative.objects.select_related("started_by").annotate(member_count=Count("members"))


def initiative_detail(pk: int) -> Initiative | None:
    """One initiative with its members (and their roles) and links (three queries)."""
    return (
        Initiative.objects.select_related("started_by")
        .prefetch_related("members__user__groups", "links")
        .filter(pk=pk)
        .first()
    )


def department_of(user: User) -> str:
    """The user's role in the organisation (first in canonical order), for the member list."""
    names = {g.name for g in user.groups.all()}
    return next((r for r in ROLES if r in names), "")


# ---------------------------------------------------------------- knowledge


def article_search(query: str = "") -> QuerySet[Article]:
    """Articles whose title, problem, solution, asset model or category contain every word."""
    qs = Article.objects.select_related("author", "ticket")
    for word in query.split():
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(problem__icontains=word)
            | Q(solution__icontains=word)
            | Q(asset_model__icontains=word)
            | Q(category__icontains=word)
        )
    return qs.order_by("-created_at", "-pk")


def articles_for_ticket(ticket: Any) -> QuerySet[Article]:
    """Articles for tickets like ``ticket``: the same asset model or the same category."""
    model = ticket.asset.product_model if ticket.asset_id else ""
    match = Q(pk__in=[])
    if model:
        match |= Q(asset_model=model)
    if ticket.category:
        match |= Q(category=ticket.category)
    return Article.objects.filter(match).exclude(ticket=ticket).select_related("author")


def contributions() -> list[tuple[User, int]]:
    """Who fed knowledge in: people with their article counts, most first (one query)."""
    users = User.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n", "username")
    return [(u, u.n) for u in users]
