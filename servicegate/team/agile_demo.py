"""Demo step: two agile service teams with their boards, 10 weeks of flow, retros,
feedback, a filled skills matrix with gaps, delegation, initiatives and articles.

Runs after the tickets (it puts the teams' recent tickets on the boards, replaying
their history) and draws every random number from the context's generator.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from servicegate.accounts import roles
from servicegate.catalog.models import ServiceProduct
from servicegate.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext
from servicegate.operations.choices import TicketStatus
from servicegate.operations.models import Ticket
from servicegate.team import reflection_services, services
from servicegate.team.board_services import card_add, card_move
from servicegate.team.models import Card, Skill, Team, Technician
from servicegate.team.selectors import skills_matrix

#: A demo team as set up: the team, its lead, its member logins and its technicians.
TeamSetUp = tuple[Team, User, list[User], list[Technician]]
WEEKS = 10
CARDS_PER_TEAM = 70
TEAMS = (
    (
        "Service Süd",
        "Süd",
        "No machine in the south stands still for longer than the customer can bear.",
        "We fix fast, share what we learn and keep every promise we make.",
    ),
    (
        "Service Nord",
        "Nord",
        "Customers in the north plan their service with us, not around us.",
        "Preventive first: we find faults before they stop a line.",
    ),
)
RETRO_ACTIONS = (
    "Handover checklist for the night shift",
    "Pair on PLC diagnosis once a week",
    "Spare-part kit for the HX line in every van",
    "Call the customer back within one hour after a remote fix",
    "Write an article for every repeat fault",
    "Shadow the hotline for a day",
)


def _user(username: str, role: str, first: str, last: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        email=f"{username}@{DEMO_EMAIL_DOMAIN}",
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def _members(ctx: DemoContext) -> list[tuple[User, list[User], list[Technician]]]:
    """Per team: lead, member users, technicians. Technicians get logins as needed."""
    users: dict[str, User] = ctx.objects["users"]
    technicians: list[Technician] = list(ctx.objects.get("technicians", []))
    half = len(technicians) // 2
    groups = [technicians[:half], technicians[half:]]
    leads = [users["dispatcher"], _user("nord", roles.DISPATCHER, "Petra", "Lang")]
    out = []
    for lead, techs in zip(leads, groups, strict=True):
        people = []
        for tech in techs[:4]:
            if tech.user is None:
                first, _sep, last = tech.name.partition(" ")
                tech.user = _user(first.lower(), roles.TECHNICIAN, first, last)
                tech.save(update_fields=["user"])
            people.append(tech.user)
        out.append((lead, people, techs))
    return out


def build(ctx: DemoContext) -> None:
    """Create the teams and everything they do."""
    users: dict[str, User] = ctx.objects["users"]
    manager = users["manager"]
    rng = ctx.rng
    now = timezone.now()
    teams: list[TeamSetUp] = []
    for (name, group, vision, mission), (lead, people, techs) in zip(
        TEAMS, _members(ctx), strict=True
    ):
        team = services.team_create(
            by=manager, name=name, vision=vision, mission=mission, ticket_group=group
        )
        services.team_member_add(team=team, user=lead, role="lead", by=manager)
        for person in people:
            services.team_member_add(team=team, user=person, by=manager)
        Technician.objects.filter(pk__in=[t.pk for t in techs]).update(team=team)
        teams.append((team, lead, people, techs))
    cards = sum(_board(ctx, team, lead, techs, now) for team, lead, _p, techs in teams)
    _skills(ctx, teams, manager)
    _delegation(manager, teams[0][0])
    retros = sum(_retros(ctx, team, lead, people, now) for team, lead, people, _t in teams)
    for _team, lead, people, _t in teams:
        for person in people:
            reflection_services.feedback_create(
                person=person,
                by=lead,
                strengths="Stays calm with the customer and explains the machine clearly.",
                growth="Take on PLC diagnosis with a colleague.",
                kind="appraisal" if rng.random() < 0.3 else "feedback",
            )
    _initiatives(users, teams)
    articles = _articles(ctx, teams)
    ctx.report(f"demo: 2 teams, {cards} cards, {retros} retrospectives, {articles} articles")


def _board(ctx: DemoContext, team: Team, lead: User, techs: list[Technician], now: datetime) -> int:
    """Replay the last weeks' resolved tickets of the team's technicians on its board,
    then put its open tickets there; the "In progress" column ends at its WIP limit."""
    since = now - timedelta(weeks=WEEKS)
    doing = team.columns.get(key="doing")
    services.column_update(column=doing, wip_limit=None, by=lead)  # history had no limit
    resolved = list(
        Ticket.objects.filter(
            technician__in=techs, resolved_at__gte=since, opened_at__gte=since
        ).order_by("resolved_at")
    )
    if len(resolved) > CARDS_PER_TEAM:
        pick = sorted(ctx.rng.choice(len(resolved), size=CARDS_PER_TEAM, replace=False))
        resolved = [resolved[int(i)] for i in pick]
    for ticket in resolved:
        assert ticket.resolved_at is not None
        card = card_add(
            team=team,
            by=lead,
            title=f"{ticket.number} {ticket.title}".strip(),
            ticket=ticket,
            at=ticket.opened_at,
            follow_item=False,
        )
        started = (
            ticket.responded_at or ticket.opened_at + (ticket.resolved_at - ticket.opened_at) / 4
        )
        card_move(card=card, to="doing", by=lead, at=started, follow_item=False)
        card_move(card=card, to="done", by=lead, at=ticket.resolved_at, follow_item=False)
    open_tickets = Ticket.objects.filter(technician__in=techs).exclude(
        status__in=[TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CANCELLED]
    )
    for ticket in open_tickets.order_by("opened_at")[:8]:
        if not Card.objects.filter(ticket=ticket).exists():
            card_add(
                team=team, by=lead, title=f"{ticket.number} {ticket.title}".strip(), ticket=ticket
            )
    in_doing = Card.objects.filter(column=doing).count()
    services.column_update(column=doing, wip_limit=max(in_doing, 1), by=lead)
    return len(resolved) + Card.objects.filter(team=team, done_at__isnull=True).count()


def _skills(ctx: DemoContext, teams: list[TeamSetUp], manager: User) -> None:
    """Self- and lead assessments for every member; three product needs (some gaps)."""
    rng = ctx.rng
    skills = list(Skill.objects.order_by("kind", "name"))
    for _team, lead, people, _techs in teams:
        for person in [lead, *people]:
            for skill in skills:
                own = int(rng.integers(0, 5))
                services.skill_assess(person=person, skill=skill, level=own, by=person)
                if person is not lead and rng.random() < 0.7:
                    view = min(4, max(0, own + int(rng.integers(-1, 2))))
                    services.skill_assess(person=person, skill=skill, level=view, by=lead)
    products = list(ServiceProduct.objects.order_by("pk")[:2])
    by_name = {s.name: s for s in skills}
    needs = (("Hydraulics", 3, 3), ("PLC programming (S7)", 4, 2), ("Customer communication", 3, 4))
    levels = skills_matrix().people
    for i, (name, level, people_needed) in enumerate(needs):
        if products and name in by_name:
            skill = by_name[name]
            have = sum(1 for p in levels if p.levels.get(skill.pk, 0) >= level)
            services.skill_need_set(
                product=products[i % len(products)],
                skill=skill,
                level=level,
                # the first need asks one person more than there are: a gap to show
                people=have + 1 if i == 0 else people_needed,
                by=manager,
            )


def _delegation(manager: User, south: Team) -> None:
    for area, level in (
        ("g1_decision", 2),
        ("g3_service_start", 3),
        ("preventive_plan_changes", 4),
        ("spare_part_orders", 6),
        ("overtime", 5),
    ):
        services.delegation_set(area=area, level=level, by=manager)
    services.delegation_set(area="overtime", level=7, team=south, by=manager)


def _retros(ctx: DemoContext, team: Team, lead: User, people: list[User], now: datetime) -> int:
    """A retrospective every two weeks with one or two actions (they go to KVP)."""
    rng = ctx.rng
    count = 0
    for weeks_ago in (8, 6, 4, 2):
        picks = rng.choice(len(RETRO_ACTIONS), size=int(rng.integers(1, 3)), replace=False)
        actions = [
            (RETRO_ACTIONS[int(k)], people[int(rng.integers(len(people)))] if people else lead)
            for k in picks
        ]
        reflection_services.retro_create(
            team=team,
            by=lead,
            date=(now - timedelta(weeks=weeks_ago)).date(),
            went_well="Fewer repeat visits; the hotline handed over cleanly.",
            to_improve="Waiting for spare parts blocked two jobs.",
            actions=actions,
        )
        count += 1
    return count


def _initiatives(users: dict[str, User], teams: list[TeamSetUp]) -> None:
    """Two initiatives with members from sales, service and quality."""
    first = reflection_services.initiative_create(
        by=users["sales"],
        title="Sell preventive inspections to automotive customers",
        goal="Twenty inspection contracts this year, planned with the service teams.",
    )
    for username in ("manager", "dispatcher", "technician"):
        reflection_services.initiative_join(initiative=first, by=users[username])
    reflection_services.initiative_update(initiative=first, by=users["sales"], status="running")
    second = reflection_services.initiative_create(
        by=users["technician"],
        title="Knowledge Fridays",
        goal="One solution article per team and week.",
    )
    reflection_services.initiative_join(initiative=second, by=users["quality"])
    reflection_services.initiative_join(initiative=second, by=teams[1][1])


def _articles(ctx: DemoContext, teams: list[TeamSetUp]) -> int:
    """Solution articles written from resolved tickets with assets by the members."""
    count = 0
    for team, _lead, people, _techs in teams:
        tickets = Ticket.objects.filter(
            card__team=team, resolved_at__isnull=False, asset__isnull=False
        ).select_related("asset")[:4]
        for i, ticket in enumerate(tickets):
            if not people:
                break
            assert ticket.asset is not None
            reflection_services.article_create(
                by=people[i % len(people)],
                title=f"{ticket.asset.product_model}: {ticket.title or ticket.number}",
                problem=f"{ticket.title or ticket.number} at {ticket.asset.product_model}.",
                solution="Checked the hydraulic pressure, replaced the worn seal, ran a test.",
                ticket=ticket,
            )
            count += 1
    return count
