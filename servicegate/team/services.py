"""Writes of the team area: teams, delegation, skills, board cards, reflection,
initiatives and knowledge. Every write is keyword-only, checks who may, and runs in
one transaction; a refusal raises ``TeamRefused`` with a sentence and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import has_capability
from servicegate.improvement.services import action_create
from servicegate.operations.choices import TicketStatus
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
#: The names are stored in the language of whoever creates the team.
DEFAULT_COLUMNS: tuple[tuple[str, str | Promise, list[str], int | None, bool], ...] = (
    ("todo", gettext_lazy("To do"), ["new"], None, False),
    ("doing", gettext_lazy("In progress"), ["assigned", "in_progress"], 5, False),
    (
        "waiting",
        gettext_lazy("Waiting"),
        ["awaiting_customer", "awaiting_vendor", "awaiting_internal"],
        4,
        False,
    ),
    ("done", gettext_lazy("Done"), ["resolved", "closed", "cancelled"], None, True),
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
    columns: Sequence[tuple[str, str | Promise, list[str], int | None, bool]] = DEFAULT_COLUMNS,
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
                name=str(label),
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


def column_add(
    *,
    team: Team,
    by: Actor,
    key: str,
    name: str,
    statuses: Sequence[str] = (),
    wip_limit: int | None = None,
    done: bool = False,
    order: int | None = None,
) -> BoardColumn:
    """Add a column to ``team``'s board (``manage_team``); its key is unique on the board
    and its statuses must be ticket statuses no other column of the board claims."""
    _require_manage(by)
    if not key.strip() or not name.strip():
        raise TeamRefused(_("A column needs a key and a name."))
    unknown = [s for s in statuses if s not in TicketStatus.values]
    if unknown:
        raise TeamRefused(
            _("%(s)s is not a ticket status; use one of: %(all)s.")
            % {"s": ", ".join(unknown), "all": ", ".join(TicketStatus.values)}
        )
    with transaction.atomic():
        columns = list(BoardColumn.objects.select_for_update().filter(team=team))
        if any(c.key == key for c in columns):
            raise TeamRefused(
                _("The board has a column %(key)s already.") % {"key": key}, status=409
            )
        claimed = sorted({s for c in columns for s in c.statuses} & set(statuses))
        if claimed:
            raise TeamRefused(
                _("Another column shows items in %(s)s already; a status belongs to one column.")
                % {"s": ", ".join(claimed)},
                status=409,
            )
        return BoardColumn.objects.create(
            team=team,
            key=key.strip(),
            name=name.strip(),
            statuses=list(statuses),
            wip_limit=wip_limit,
            done=done,
            order=order if order is not None else max((c.order for c in columns), default=-1) + 1,
        )


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


def gap_action_create(*, product: Any, skill: Skill, owner: User, by: Actor) -> Any:
    """Turn a skills gap into a development action of the KVP register (``manage_team``):
    measured by the product's attainment, owned by the person who develops the skill.
    Refused (409) when the product's need of the skill has no gap."""
    user = _require_manage(by)
    need = SkillNeed.objects.filter(product=product, skill=skill).first()
    people = selectors.skills_matrix().people
    gap = next(
        (
            g
            for g in selectors.skill_gaps(people)
            if g.product_id == product.pk and g.skill_id == skill.pk
        ),
        None,
    )
    if need is None or gap is None:
        raise TeamRefused(
            _("%(product)s has no gap in %(skill)s; nothing to develop.")
            % {"product": product, "skill": skill},
            status=409,
        )
    opener = user if has_capability(user, "lead_improvement") or owner.pk == user.pk else owner
    try:
        return action_create(
            by=opener,
            title=_("Develop %(skill)s to level %(level)s for %(product)s")
            % {"skill": skill.name, "level": need.level, "product": product.name},
            owner=owner,
            source="technician",
            kpi="product_attainment",
            product=product,
            description=_("Skills gap: %(have)s of %(needed)s people at the level needed.")
            % {"have": gap.have, "needed": gap.needed},
        )
    except ValidationError as exc:
        raise TeamRefused(" ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise TeamRefused(
            _("%(owner)s may not own an improvement action; choose another owner.")
            % {"owner": owner.get_username()}
        ) from exc
