"""Writes of the team's reflection and shared work: retrospectives, feedback notes,
cross-functional initiatives and knowledge articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as date_type
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import has_capability
from servicegate.improvement.models import Action, Finding
from servicegate.improvement.services import action_create
from servicegate.operations.models import Ticket
from servicegate.team import selectors
from servicegate.team.board_services import card_add
from servicegate.team.choices import (
    FeedbackKind,
    InitiativeRole,
    InitiativeStatus,
    LinkKind,
)
from servicegate.team.errors import TeamRefused
from servicegate.team.models import (
    Article,
    FeedbackNote,
    Initiative,
    InitiativeLink,
    InitiativeMember,
    RetroAction,
    Retrospective,
    Team,
)


def _staff(by: Actor) -> User:
    user = as_user(by)
    if not has_capability(user, "view_servicegate"):
        raise TeamRefused(_("Only staff of the organisation take part here."), status=403)
    return user


# ---------------------------------------------------------------- retrospectives


def retro_create(
    *,
    team: Team,
    by: Actor,
    date: date_type,
    went_well: str = "",
    to_improve: str = "",
    actions: Sequence[tuple[str, User]] = (),
) -> Retrospective:
    """Record a retrospective of ``team`` (its members, or ``manage_team``) with its
    actions; each action gets an owner (a user)."""
    user = as_user(by)
    if not (selectors.is_team_member(user, team) or has_capability(user, "manage_team")):
        raise TeamRefused(_("Only the team's members record its retrospectives."), status=403)
    if not (went_well.strip() or to_improve.strip() or actions):
        raise TeamRefused(_("Say what went well, what to improve, or name an action."))
    for title, _owner in actions:
        if not title.strip():
            raise TeamRefused(_("Every action needs a title."))
    with transaction.atomic():
        retro = Retrospective.objects.create(
            team=team, date=date, went_well=went_well, to_improve=to_improve, created_by=user
        )
        for title, owner in actions:
            kvp = _kvp_action(retro, title.strip()[:200], owner, user)
            RetroAction.objects.create(
                retrospective=retro, title=kvp.title, owner=owner, action_id=kvp.pk
            )
            card_add(team=team, by=None, title=kvp.title, action_id=kvp.pk)
    return retro


def _kvp_action(retro: Retrospective, title: str, owner: User, user: User) -> Any:
    """The retro action as an improvement action of the KVP register (source
    "retrospective"). A KVP lead opens it; otherwise its owner, who took it on in the
    retrospective (the register lets everyone open the actions they own)."""
    by = user if has_capability(user, "lead_improvement") or owner.pk == user.pk else owner
    try:
        return action_create(
            by=by,
            title=title,
            owner=owner,
            source="retrospective",
            description=_("From the retrospective of %(team)s on %(date)s.")
            % {"team": retro.team.name, "date": retro.date.isoformat()},
        )
    except ValidationError as exc:
        raise TeamRefused(" ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise TeamRefused(
            _("%(owner)s may not own an improvement action; choose another owner.")
            % {"owner": owner.get_username()},
            status=422,
        ) from exc


# ---------------------------------------------------------------- feedback


def feedback_create(
    *,
    person: User,
    by: Actor,
    strengths: str,
    growth: str = "",
    kind: str = FeedbackKind.FEEDBACK,
    lead: User | None = None,
) -> FeedbackNote:
    """Write a feedback or appraisal note between ``person`` and their lead: the lead
    writes about the person, or the person to their lead (``lead``, needed when they
    have several). Strengths come first and are required."""
    user = as_user(by)
    if kind not in FeedbackKind.values:
        raise TeamRefused(_("A note is feedback or an appraisal."))
    if not strengths.strip():
        raise TeamRefused(_("Start with the strengths: what does the person do well?"))
    leads = selectors.leads_of(person)
    if user.pk == person.pk:
        if lead is None and len(leads) == 1:
            lead = leads[0]
        if lead is None or lead not in leads:
            raise TeamRefused(_("Name your team lead; a note goes between you and your lead."))
    elif user in leads:
        lead = user
    else:
        raise TeamRefused(
            _("Feedback notes are written only between a person and their team lead."),
            status=403,
        )
    with transaction.atomic():
        return FeedbackNote.objects.create(
            person=person, lead=lead, author=user, kind=kind, strengths=strengths, growth=growth
        )


# ---------------------------------------------------------------- initiatives


def initiative_create(*, by: Actor, title: str, goal: str) -> Initiative:
    """Start a cross-functional initiative (any employee); the starter is its initiator."""
    user = _staff(by)
    if not title.strip() or not goal.strip():
        raise TeamRefused(_("An initiative needs a title and a goal."))
    with transaction.atomic():
        initiative = Initiative.objects.create(
            title=title.strip()[:200], goal=goal.strip(), started_by=user
        )
        InitiativeMember.objects.create(
            initiative=initiative, user=user, role=InitiativeRole.INITIATOR
        )
    return initiative


def initiative_join(*, initiative: Initiative, by: Actor) -> InitiativeMember:
    """Join an initiative (anyone from any department, once)."""
    user = _staff(by)
    with transaction.atomic():
        Initiative.objects.select_for_update().get(pk=initiative.pk)
        if initiative.members.filter(user=user).exists():
            raise TeamRefused(_("You are a member of this initiative already."), status=409)
        if initiative.status in (InitiativeStatus.DONE, InitiativeStatus.STOPPED):
            raise TeamRefused(_("This initiative has ended; start a new one."), status=409)
        return InitiativeMember.objects.create(initiative=initiative, user=user)


def initiative_update(
    *, initiative: Initiative, by: Actor, status: str | None = None, outcomes: str | None = None
) -> Initiative:
    """Change an initiative's status or outcomes (its members)."""
    user = _staff(by)
    if not initiative.members.filter(user=user).exists():
        raise TeamRefused(_("Only the initiative's members change it; join it first."), status=403)
    if status is not None and status not in InitiativeStatus.values:
        raise TeamRefused(
            _("The status is one of: %(s)s.") % {"s": ", ".join(InitiativeStatus.values)}
        )
    with transaction.atomic():
        if status is not None:
            initiative.status = status
        if outcomes is not None:
            initiative.outcomes = outcomes
        initiative.save()
    return initiative


def initiative_link(
    *, initiative: Initiative, by: Actor, kind: str, target_id: int, note: str = ""
) -> InitiativeLink:
    """Link an initiative to a finding, an action, a ticket or an article (its members)."""
    user = _staff(by)
    if not initiative.members.filter(user=user).exists():
        raise TeamRefused(_("Only the initiative's members change it; join it first."), status=403)
    if kind not in LinkKind.values:
        raise TeamRefused(_("A link goes to one of: %(k)s.") % {"k": ", ".join(LinkKind.values)})
    targets = {
        LinkKind.FINDING: Finding.objects,
        LinkKind.ACTION: Action.objects,
        LinkKind.TICKET: Ticket.objects,
        LinkKind.ARTICLE: Article.objects,
    }
    if not targets[LinkKind(kind)].filter(pk=target_id).exists():
        raise TeamRefused(
            _("There is no %(kind)s %(id)s to link.")
            % {"kind": LinkKind(kind).label, "id": target_id},
            status=404,
        )
    with transaction.atomic():
        link, _created = InitiativeLink.objects.get_or_create(
            initiative=initiative, kind=kind, target_id=target_id, defaults={"note": note}
        )
    return link


# ---------------------------------------------------------------- knowledge


def article_create(
    *, by: Actor, title: str, problem: str, solution: str, ticket: Any = None
) -> Article:
    """Write a solution article (``work_tickets``), from a resolved ticket when given:
    the article takes the ticket's asset model and category, which link it from
    similar tickets."""
    user = as_user(by)
    if not has_capability(user, "work_tickets"):
        raise TeamRefused(
            _("Your role does not allow writing solution articles; the service team writes them."),
            status=403,
        )
    if not (title.strip() and problem.strip() and solution.strip()):
        raise TeamRefused(_("An article needs a title, the problem and its solution."))
    if ticket is not None and ticket.resolved_at is None:
        raise TeamRefused(
            _("Articles are written from resolved tickets; resolve the ticket first."),
            status=409,
        )
    with transaction.atomic():
        return Article.objects.create(
            title=title.strip()[:200],
            problem=problem,
            solution=solution,
            ticket=ticket,
            asset_model=ticket.asset.product_model if ticket is not None and ticket.asset else "",
            category=ticket.category if ticket is not None else "",
            author=user,
        )
