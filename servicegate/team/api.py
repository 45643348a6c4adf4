"""REST resources of the team area under /api/v1/: skills matrix, delegation, board,
flow, retrospectives, feedback, initiatives and knowledge articles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from servicegate.api.fields import JsonObject
from servicegate.api.pagination import Pagination
from servicegate.catalog.models import ServiceProduct
from servicegate.core.permissions import require_capability
from servicegate.operations.models import Ticket
from servicegate.team import board_services, reflection_services, selectors, services
from servicegate.team.errors import TeamRefused
from servicegate.team.models import (
    Article,
    BoardColumn,
    Card,
    FeedbackNote,
    Initiative,
    Skill,
    Team,
)

router = Router(tags=["team"])

ERRORS = {403: dict[str, Any], 404: dict[str, Any], 409: dict[str, Any], 422: dict[str, Any]}


def _refused(exc: TeamRefused) -> Status[dict[str, Any]]:
    return Status(exc.status, {"detail": str(exc)})


def _team(team: int | None) -> Team:
    found = selectors.team_or_first(team)
    if found is None:
        raise TeamRefused(_("There is no such team."), status=404)
    return found


def _user(ref: int | str) -> User:
    user = (
        User.objects.filter(pk=ref).first()
        if isinstance(ref, int)
        else User.objects.filter(username=ref).first()
    )
    if user is None:
        raise TeamRefused(_("There is no user %(ref)s.") % {"ref": ref}, status=422)
    return user


class TeamOut(Schema):
    id: int
    name: str
    vision: str
    mission: str


@router.get("/teams/", response=list[TeamOut])
@paginate(Pagination)
def team_list(request: HttpRequest) -> QuerySet[Team]:
    """The service teams."""
    require_capability(request.user, "view_servicegate")
    return selectors.teams()


class TeamIn(Schema):
    name: str
    vision: str = ""
    mission: str = ""
    ticket_group: str = ""
    lead: int | str | None = None
    members: list[int | str] = []


@router.post("/teams/", response={201: TeamOut, **ERRORS})
def team_create(request: HttpRequest, payload: TeamIn) -> Status[Any]:
    """Create a team with the default board columns, its lead and members (``manage_team``)."""
    try:
        lead = _user(payload.lead) if payload.lead is not None else None
        members = [_user(m) for m in payload.members]
        team = services.team_create(
            by=request.user,
            name=payload.name,
            vision=payload.vision,
            mission=payload.mission,
            ticket_group=payload.ticket_group,
        )
        if lead is not None:
            services.team_member_add(team=team, user=lead, role="lead", by=request.user)
        for member in members:
            services.team_member_add(team=team, user=member, by=request.user)
    except TeamRefused as exc:
        return _refused(exc)
    return Status(201, team)


class ColumnIn(Schema):
    key: str
    name: str
    statuses: list[str] = []
    wip_limit: int | None = None
    done: bool = False


class ColumnPatch(JsonObject):
    name: str | None = None
    wip_limit: int | None = -1


def _column_out(column: BoardColumn) -> dict[str, Any]:
    return {
        "id": column.pk,
        "key": column.key,
        "name": column.name,
        "wip_limit": column.wip_limit,
        "statuses": column.statuses,
        "done": column.done,
    }


@router.post("/teams/{team_id}/columns", response={201: dict[str, Any], **ERRORS})
def column_add(request: HttpRequest, team_id: int, payload: ColumnIn) -> Status[Any]:
    """Add a column to a team's board (``manage_team``)."""
    team = get_object_or_404(Team, pk=team_id)
    try:
        column = services.column_add(team=team, by=request.user, **payload.dict())
    except TeamRefused as exc:
        return _refused(exc)
    return Status(201, _column_out(column))


@router.patch("/board/columns/{column_id}", response={200: dict[str, Any], **ERRORS})
def column_patch(request: HttpRequest, column_id: int, payload: ColumnPatch) -> Status[Any]:
    """Rename a column or change its WIP limit (null: no limit; ``manage_team``)."""
    column = get_object_or_404(BoardColumn, pk=column_id)
    if payload.wip_limit is not None and payload.wip_limit < -1:
        return Status(422, {"detail": _("A WIP limit is a positive number, or null for none.")})
    try:
        services.column_update(
            column=column, by=request.user, name=payload.name, wip_limit=payload.wip_limit
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(200, _column_out(column))


# ---------------------------------------------------------------- skills and delegation


@router.get("/skills/matrix")
def skills_matrix(request: HttpRequest, team: int | None = None) -> dict[str, Any]:
    """Skills (technical and social) × people with levels 0–4, and the gaps against the
    products' needs; ``?team=`` limits the people to one team."""
    require_capability(request.user, "view_servicegate")
    matrix = selectors.skills_matrix(Team.objects.filter(pk=team).first() if team else None)
    return {
        "skills": [{"id": s.pk, "name": s.name, "kind": s.kind} for s in matrix.skills],
        "people": [
            {
                "user": p.user.get_username(),
                "role": p.role,
                "levels": {str(k): v for k, v in p.levels.items()},
                "self_levels": {str(k): v for k, v in p.self_levels.items()},
                "lead_levels": {str(k): v for k, v in p.lead_levels.items()},
            }
            for p in matrix.people
        ],
        "gaps": [
            {
                "product": g.product,
                "product_id": g.product_id,
                "skill": g.skill,
                "skill_id": g.skill_id,
                "level": g.level,
                "needed": g.needed,
                "have": g.have,
                "missing": g.missing,
            }
            for g in matrix.gaps
        ],
    }


class AssessmentIn(Schema):
    user: int | str
    skill: int
    level: int


@router.put("/skills/assessments", response={200: dict[str, Any], **ERRORS})
def skill_assess(request: HttpRequest, payload: AssessmentIn) -> Status[dict[str, Any]]:
    """Assess a person's level in a skill: yourself (self-assessment) or as their lead."""
    skill = get_object_or_404(Skill, pk=payload.skill)
    try:
        a = services.skill_assess(
            person=_user(payload.user), skill=skill, level=payload.level, by=request.user
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(200, {"skill": skill.pk, "self_level": a.self_level, "lead_level": a.lead_level})


class GapActionIn(Schema):
    product: int
    skill: int
    owner: int | str


@router.post("/skills/gaps/actions", response={201: dict[str, Any], **ERRORS})
def gap_action(request: HttpRequest, payload: GapActionIn) -> Status[Any]:
    """Turn a skills gap into a development action of the KVP register."""
    product = get_object_or_404(ServiceProduct, pk=payload.product)
    skill = get_object_or_404(Skill, pk=payload.skill)
    try:
        action = services.gap_action_create(
            product=product, skill=skill, owner=_user(payload.owner), by=request.user
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(201, {"action": action.pk, "title": action.title})


class DelegationIn(Schema):
    level: int
    team: int | None = None
    note: str = ""


@router.get("/delegation/")
def delegation_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every decision area with its general level and the teams' own levels."""
    require_capability(request.user, "view_servicegate")
    return [
        {
            "area": row.area,
            "name": row.label,
            "level": row.level,
            "team_decides": row.team_decides,
            "teams": [{"team": t.pk, "level": level} for t, level in row.team_levels],
        }
        for row in selectors.delegation_board()
    ]


@router.put("/delegation/{area}", response={200: dict[str, Any], **ERRORS})
def delegation_put(request: HttpRequest, area: str, payload: DelegationIn) -> Status[Any]:
    """Set how far a decision area is delegated (1 tell … 7 delegate); the service
    manager only. From 5 on the team lead decides in the area."""
    try:
        team = _team(payload.team) if payload.team is not None else None
        d = services.delegation_set(
            area=area, level=payload.level, team=team, note=payload.note, by=request.user
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(200, {"area": d.area, "team": d.team_id, "level": d.level})


# ---------------------------------------------------------------- board and flow


def _card_out(bc: selectors.BoardCard) -> dict[str, Any]:
    card = bc.card
    return {
        "id": card.pk,
        "title": card.title,
        "ticket": card.ticket_id,
        "action": card.action_id,
        "age_days": bc.age_days,
        "aging": bc.aging,
        "override_reason": bc.override_reason,
    }


@router.get("/board", response={200: dict[str, Any], **ERRORS})
def board(request: HttpRequest, team: int | None = None) -> Status[Any]:
    """The team's board (``?team=``; the first team otherwise): columns with WIP
    limits and their cards."""
    require_capability(request.user, "view_servicegate")
    try:
        found = _team(team)
    except TeamRefused as exc:
        return _refused(exc)
    columns = selectors.board(found, now=timezone.now())
    return Status(
        200,
        {
            "team": found.pk,
            "columns": [
                {
                    "key": c.column.key,
                    "name": c.column.name,
                    "wip_limit": c.column.wip_limit,
                    "done": c.column.done,
                    "cards": [_card_out(bc) for bc in c.cards],
                }
                for c in columns
            ],
        },
    )


class MoveIn(Schema):
    to: str
    override_reason: str = ""


@router.post("/board/cards/{card_id}/move", response={200: dict[str, Any], **ERRORS})
def card_move(request: HttpRequest, card_id: int, payload: MoveIn) -> Status[Any]:
    """Move a card to another column: 409 at the column's WIP limit unless an
    ``override_reason`` says why (it is kept and shown); 422 for an unknown column."""
    require_capability(request.user, "view_servicegate")
    card = get_object_or_404(Card, pk=card_id)
    try:
        moved = board_services.card_move(
            card=card, to=payload.to, override_reason=payload.override_reason, by=request.user
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(200, {"id": moved.pk, "column": moved.column.key})


@router.get("/flow", response={200: dict[str, Any], **ERRORS})
def flow(request: HttpRequest, weeks: int = 12, team: int | None = None) -> Status[Any]:
    """Flow metrics over the last ``weeks`` weeks: throughput per week, cycle times
    (days) with p50 and p85 (numpy's linear percentiles), WIP and aging cards."""
    require_capability(request.user, "view_servicegate")
    if not 1 <= weeks <= 104:
        return Status(422, {"detail": _("Ask for 1 to 104 weeks of flow.")})
    try:
        found = _team(team)
    except TeamRefused as exc:
        return _refused(exc)
    f = selectors.flow(found, weeks=weeks, now=timezone.now())
    return Status(
        200,
        {
            "team": found.pk,
            "throughput": [
                {"week": w.date().isoformat(), "done": n}
                for w, n in zip(f.weeks, f.throughput, strict=True)
            ],
            "cycle_times_days": [d for _c, d in f.cycle_times],
            "cycle_time_p50_days": f.p50,
            "cycle_time_p85_days": f.p85,
            "wip": f.wip,
            "aging": [{"id": c.pk, "title": c.title, "age_days": d} for c, d in f.aging],
        },
    )


# ---------------------------------------------------------------- retrospectives


class RetroActionIn(Schema):
    title: str
    owner: int | str


class RetroIn(Schema):
    team: int | None = None
    date: dt.date
    went_well: str = ""
    to_improve: str = ""
    actions: list[RetroActionIn] = []


@router.post("/retrospectives", response={201: dict[str, Any], **ERRORS})
def retro_create(request: HttpRequest, payload: RetroIn) -> Status[Any]:
    """Record a retrospective (the team's members); each action becomes an improvement
    action of the KVP register with source "retrospective"."""
    require_capability(request.user, "view_servicegate")
    try:
        team = _team(payload.team)
        actions = [(a.title, _user(a.owner)) for a in payload.actions]
        retro = reflection_services.retro_create(
            team=team,
            by=request.user,
            date=payload.date,
            went_well=payload.went_well,
            to_improve=payload.to_improve,
            actions=actions,
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(
        201,
        {
            "id": retro.pk,
            "team": team.pk,
            "date": retro.date.isoformat(),
            "actions": [
                {
                    "id": a.pk,
                    "title": a.title,
                    "owner": a.owner.get_username(),
                    "action": a.action_id,
                }
                for a in retro.actions.select_related("owner")
            ],
        },
    )


# ---------------------------------------------------------------- feedback


class FeedbackIn(Schema):
    person: int | str
    strengths: str
    growth: str = ""
    kind: str = "feedback"
    lead: int | str | None = None


def _note_out(note: FeedbackNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "person": note.person.get_username(),
        "lead": note.lead.get_username(),
        "author": note.author.get_username(),
        "kind": note.kind,
        "strengths": note.strengths,
        "growth": note.growth,
        "created_at": note.created_at.isoformat(),
    }


@router.post("/feedback", response={201: dict[str, Any], **ERRORS})
def feedback_create(request: HttpRequest, payload: FeedbackIn) -> Status[Any]:
    """Write a feedback or appraisal note between a person and their lead."""
    require_capability(request.user, "view_servicegate")
    try:
        note = reflection_services.feedback_create(
            person=_user(payload.person),
            by=request.user,
            strengths=payload.strengths,
            growth=payload.growth,
            kind=payload.kind,
            lead=_user(payload.lead) if payload.lead is not None else None,
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(201, _note_out(note))


@router.get("/feedback")
def feedback_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The notes you may read: about you, or about the people you lead."""
    require_capability(request.user, "view_servicegate")
    return [_note_out(n) for n in selectors.feedback_visible_to(request.user)]  # type: ignore[arg-type]


@router.get("/feedback/{note_id}", response={200: dict[str, Any], **ERRORS})
def feedback_detail(request: HttpRequest, note_id: int) -> Status[Any]:
    """One note; only the person and their lead may read it (403 for everyone else)."""
    require_capability(request.user, "view_servicegate")
    note = get_object_or_404(
        FeedbackNote.objects.select_related("person", "lead", "author"), pk=note_id
    )
    if not selectors.may_read_feedback(request.user, note):
        return Status(
            403, {"detail": _("Feedback notes are visible only to the person and their team lead.")}
        )
    return Status(200, _note_out(note))


# ---------------------------------------------------------------- initiatives


class InitiativeIn(Schema):
    title: str
    goal: str


class InitiativePatch(JsonObject):
    status: str | None = None
    outcomes: str | None = None


class LinkIn(Schema):
    kind: str
    target_id: int
    note: str = ""


def _initiative_out(pk: int) -> dict[str, Any]:
    i = selectors.initiative_detail(pk)
    assert i is not None
    return {
        "id": i.pk,
        "title": i.title,
        "goal": i.goal,
        "status": i.status,
        "outcomes": i.outcomes,
        "started_by": i.started_by.get_username(),
        "members": [
            {
                "user": m.user.get_username(),
                "role": m.role,
                "department": selectors.department_of(m.user),
            }
            for m in i.members.all()
        ],
        "links": [
            {"kind": link.kind, "target_id": link.target_id, "note": link.note}
            for link in i.links.all()
        ],
    }


@router.get("/initiatives/")
def initiative_list(request: HttpRequest) -> list[dict[str, Any]]:
    """All cross-functional initiatives with their member counts."""
    require_capability(request.user, "view_servicegate")
    return [
        {"id": i.pk, "title": i.title, "status": i.status, "members": i.member_count}  # type: ignore[attr-defined]
        for i in selectors.initiatives()
    ]


@router.post("/initiatives", response={201: dict[str, Any], **ERRORS})
def initiative_create(request: HttpRequest, payload: InitiativeIn) -> Status[Any]:
    """Start an initiative (any employee); you become its initiator."""
    try:
        i = reflection_services.initiative_create(
            by=request.user, title=payload.title, goal=payload.goal
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(201, _initiative_out(i.pk))


@router.get("/initiatives/{initiative_id}", response={200: dict[str, Any], **ERRORS})
def initiative_detail(request: HttpRequest, initiative_id: int) -> Status[Any]:
    """One initiative with its members (their roles and departments) and links."""
    require_capability(request.user, "view_servicegate")
    get_object_or_404(Initiative, pk=initiative_id)
    return Status(200, _initiative_out(initiative_id))


@router.post("/initiatives/{initiative_id}/join", response={201: dict[str, Any], **ERRORS})
def initiative_join(request: HttpRequest, initiative_id: int) -> Status[Any]:
    """Join an initiative (once; 409 the second time)."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    try:
        reflection_services.initiative_join(initiative=initiative, by=request.user)
    except TeamRefused as exc:
        return _refused(exc)
    return Status(201, _initiative_out(initiative_id))


@router.patch("/initiatives/{initiative_id}", response={200: dict[str, Any], **ERRORS})
def initiative_patch(
    request: HttpRequest, initiative_id: int, payload: InitiativePatch
) -> Status[Any]:
    """Change an initiative's status or outcomes (its members)."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    try:
        reflection_services.initiative_update(
            initiative=initiative, by=request.user, status=payload.status, outcomes=payload.outcomes
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(200, _initiative_out(initiative_id))


@router.post("/initiatives/{initiative_id}/links", response={201: dict[str, Any], **ERRORS})
def initiative_link(request: HttpRequest, initiative_id: int, payload: LinkIn) -> Status[Any]:
    """Link an initiative to a finding, an action, a ticket or an article."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    try:
        reflection_services.initiative_link(
            initiative=initiative,
            by=request.user,
            kind=payload.kind,
            target_id=payload.target_id,
            note=payload.note,
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(201, _initiative_out(initiative_id))


# ---------------------------------------------------------------- knowledge


class ArticleIn(Schema):
    title: str
    problem: str
    solution: str
    ticket: int | None = None


class ArticleOut(Schema):
    id: int
    title: str
    problem: str
    solution: str
    ticket: int | None
    asset_model: str
    category: str
    author: str

    @staticmethod
    def resolve_ticket(obj: Article) -> int | None:
        return obj.ticket_id

    @staticmethod
    def resolve_author(obj: Article) -> str:
        return obj.author.get_username()


@router.get("/articles/", response=list[ArticleOut])
@paginate(Pagination)
def article_list(request: HttpRequest, q: str = "", ticket: int | None = None) -> QuerySet[Article]:
    """Solution articles: ``?q=`` searches every word; ``?ticket=`` lists the articles
    for tickets with the same asset model or category."""
    require_capability(request.user, "view_servicegate")
    if ticket is not None:
        return selectors.articles_for_ticket(get_object_or_404(Ticket, pk=ticket))
    return selectors.article_search(q)


@router.post("/articles", response={201: ArticleOut, **ERRORS})
def article_create(request: HttpRequest, payload: ArticleIn) -> Status[Any]:
    """Write a solution article, from a resolved ticket when given."""
    try:
        ticket = (
            get_object_or_404(Ticket.objects.select_related("asset"), pk=payload.ticket)
            if payload.ticket is not None
            else None
        )
        article = reflection_services.article_create(
            by=request.user,
            title=payload.title,
            problem=payload.problem,
            solution=payload.solution,
            ticket=ticket,
        )
    except TeamRefused as exc:
        return _refused(exc)
    return Status(201, article)


@router.get("/articles/contributions")
def article_contributions(request: HttpRequest) -> list[dict[str, Any]]:
    """Who feeds knowledge in: articles per person, most first."""
    require_capability(request.user, "view_servicegate")
    return [{"user": u.get_username(), "articles": n} for u, n in selectors.contributions()]
