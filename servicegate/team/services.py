"""Writes of the team area: teams, delegation, skills, board cards, reflection,
initiatives and knowledge. Every write is keyword-only, checks who may, and runs in
one transaction; a refusal raises ``TeamRefused`` with a sentence and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import has_capability
from servicegate.team import selectors
from servicegate.team.choices import (
    DecisionArea,
    MemberRole,
)
from servicegate.team.errors import TeamRefused
from servicegate.team.models import (
    BoardColumn,
    Delegation,
    Skill,
    SkillAssessment,
    SkillNeed,
    Team,
    TeamMember,
    Technician,
    TechnicianSkill,
)

#: The columns a new board starts with: key, name, ticket statuses, WIP limit, done.
DEFAULT_COLUMNS: tuple[tuple[str, str, list[str], int | None, bool], ...] = (
    ("todo", "To do", ["new"], None, False),
    ("doing", "In progress", ["assigned", "in_progress"], 5, False),
    ("waiting", "Waiting", ["awaiting_customer", "awaiting_vendor", "awaiting_internal"], 4, False),
    ("done", "Done", ["resolved", "closed", "cancelled"], None, True),
)


def _require(by: Actor, *capabilities: str, message: str) -> User:
    user = as_user(by)
    if not all(has_capability(user, c) for c in capabilities):
        raise TeamRefused(message, status=403)
    return user


def _require_manage(by: Actor) -> User:
    return _require(
        by, "manage_team", message=_("Your role does not allow managing teams; ask a team lead.")
    )


# ---------------------------------------------------------------- teams


def team_create(
    *,
    by: Actor,
    name: str,
    vision: str = "",
    mission: str = "",
    ticket_group: str = "",
    columns: Sequence[tuple[str, str, list[str], int | None, bool]] = DEFAULT_COLUMNS,
) -> Team:
    """Create a team with its board columns (``manage_team``)."""
    _require_manage(by)
    if not name.strip():
        raise TeamRefused(_("The team needs a name."))
    with transaction.atomic():
        if Team.objects.filter(name=name.strip()).exists():
            raise TeamRefused(
                _("A team with this name exists already; pick another name."), status=409
            )
        team = Team.objects.create(
            name=name.strip(), vision=vision, mission=mission, ticket_group=ticket_group
        )
        BoardColumn.objects.bulk_create(
            BoardColumn(
                team=team,
                key=key,
                name=label,
                order=i,
                statuses=statuses,
                wip_limit=limit,
                done=done,
            )
            for i, (key, label, statuses, limit, done) in enumerate(columns)
        )
    return team


def team_member_add(
    *, team: Team, user: User, by: Actor, role: str = MemberRole.MEMBER
) -> TeamMember:
    """Add ``user`` to ``team`` as lead or member (``manage_team``); again: role changes."""
    _require_manage(by)
    if role not in MemberRole.values:
        raise TeamRefused(_("A team role is lead or member."))
    with transaction.atomic():
        member, _created = TeamMember.objects.update_or_create(
            team=team, user=user, defaults={"role": role}
        )
    return member


def column_update(
    *, column: BoardColumn, by: Actor, name: str | None = None, wip_limit: int | None = -1
) -> BoardColumn:
    """Rename a column or change its WIP limit (``manage_team``; None removes the limit)."""
    _require_manage(by)
    with transaction.atomic():
        if name is not None:
            if not name.strip():
                raise TeamRefused(_("A column needs a name."))
            column.name = name.strip()
        if wip_limit is None or wip_limit >= 0:
            column.wip_limit = wip_limit or None
        column.save()
    return column


# ---------------------------------------------------------------- delegation


def delegation_set(
    *, area: str, level: int, by: Actor, team: Team | None = None, note: str = ""
) -> Delegation:
    """Set the delegation level of a decision area (the service manager: ``manage_team``
    and ``decide_gate``). Levels 5–7 let the team lead decide, 1–4 the manager."""
    user = _require(
        by,
        "manage_team",
        "decide_gate",
        message=_("Only the service manager sets delegation levels."),
    )
    if area not in DecisionArea.values:
        raise TeamRefused(
            _("There is no decision area %(area)s; use one of: %(areas)s.")
            % {"area": area, "areas": ", ".join(DecisionArea.values)},
            status=404,
        )
    if not isinstance(level, int) or not 1 <= level <= 7:
        raise TeamRefused(
            _("A delegation level lies between 1 (tell) and 7 (delegate); %(level)s is not one.")
            % {"level": level}
        )
    with transaction.atomic():
        delegation, _created = Delegation.objects.update_or_create(
            area=area, team=team, defaults={"level": level, "note": note, "updated_by": user}
        )
    return delegation


# ---------------------------------------------------------------- skills


def skill_assess(*, person: User, skill: Skill, level: int, by: Actor) -> SkillAssessment:
    """Record ``person``'s level (0–4) in ``skill``: as self-assessment when ``by`` is the
    person, as lead assessment when ``by`` leads them (or manages the team area with
    ``decide_gate``). A lead assessment also sets the technician's skill the scheduler
    reads (level 0 removes it)."""
    user = as_user(by)
    if not isinstance(level, int) or not 0 <= level <= 4:
        raise TeamRefused(
            _("A skill level lies between 0 (none) and 4 (can teach it); %(level)s is not one.")
            % {"level": level}
        )
    as_self = user.pk == person.pk
    as_lead = not as_self and (
        user in selectors.leads_of(person)
        or (has_capability(user, "manage_team") and has_capability(user, "decide_gate"))
    )
    if not (as_self or as_lead):
        raise TeamRefused(
            _("Only the person and their team lead assess a person's skills."), status=403
        )
    with transaction.atomic():
        assessment, _created = SkillAssessment.objects.get_or_create(user=person, skill=skill)
        if as_self:
            assessment.self_level = level
        else:
            assessment.lead_level = level
            _sync_technician_skill(person, skill, level)
        assessment.save()
    return assessment


def _sync_technician_skill(person: User, skill: Skill, level: int) -> None:
    technician = Technician.objects.filter(user=person).first()
    if technician is None:
        return
    if level == 0:
        TechnicianSkill.objects.filter(technician=technician, skill=skill).delete()
    else:
        TechnicianSkill.objects.update_or_create(
            technician=technician, skill=skill, defaults={"level": level}
        )


def skill_need_set(*, product: Any, skill: Skill, level: int, people: int, by: Actor) -> SkillNeed:
    """Say what a product needs: at least ``people`` persons at ``level`` (``manage_team``)."""
    _require_manage(by)
    if not 1 <= level <= 4 or people < 1:
        raise TeamRefused(_("A need names a level from 1 to 4 and at least one person."))
    with transaction.atomic():
        need, _created = SkillNeed.objects.update_or_create(
            product=product, skill=skill, defaults={"level": level, "people": people}
        )
    return need
