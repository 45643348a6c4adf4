"""Pages of the team area: team page, board, flow, skills matrix, delegation board."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.catalog.models import ServiceProduct
from servicegate.core.permissions import capability_required, has_capability
from servicegate.team import board_services, charts, selectors, services
from servicegate.team.choices import DecisionArea, DelegationLevel, SkillLevel
from servicegate.team.errors import TeamRefused
from servicegate.team.models import BoardColumn, Card, Skill, Team


def _chosen_team(request: HttpRequest) -> Team | None:
    """The team named by ``?team=``, else the user's own team, else the first."""
    raw = request.GET.get("team", "")
    if raw.isdigit():
        return selectors.team_or_first(int(raw))
    return selectors.team_of(request.user) or selectors.team_or_first(None)


def _base(request: HttpRequest, team: Team | None, tab: str) -> dict[str, Any]:
    return {"team": team, "teams": list(selectors.teams()), "tab": tab}


@capability_required("view_servicegate")
def index(request: HttpRequest) -> HttpResponse:
    """The team page: vision and mission, board summary, flow, open retro actions, gaps."""
    team = _chosen_team(request)
    context = _base(request, team, "team")
    if team is not None:
        now = timezone.now()
        f = selectors.flow(team, weeks=8, now=now)
        context.update(
            columns=selectors.board(team, now=now),
            flow=f,
            done_8_weeks=sum(f.throughput),
            actions=list(selectors.open_retro_actions(team)[:20]),
            gaps=selectors.skills_matrix(team).gaps,
            members=list(team.members.select_related("user")),
        )
    return render(request, "team/index.html", context)


@capability_required("view_servicegate")
def board(request: HttpRequest) -> HttpResponse:
    """The team's board: drag a card to another column (a form without JavaScript)."""
    team = _chosen_team(request)
    context = _base(request, team, "board")
    if team is not None:
        context["columns"] = selectors.board(team, now=timezone.now())
    context["can_move"] = has_capability(request.user, "work_tickets") or has_capability(
        request.user, "manage_team"
    )
    context["can_configure"] = has_capability(request.user, "manage_team")
    return render(request, "team/board.html", context)


@capability_required("view_servicegate")
def card_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a card (POST ``to``, ``override_reason``): JSON for the board's script,
    a redirect back to the board for the plain form."""
    if request.method != "POST":
        return redirect("team:board")
    card = get_object_or_404(Card, pk=pk)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        board_services.card_move(
            card=card,
            to=request.POST.get("to", ""),
            override_reason=request.POST.get("override_reason", ""),
            by=request.user,
        )
    except TeamRefused as exc:
        if wants_json:
            return JsonResponse({"detail": str(exc)}, status=exc.status)
        messages.error(request, str(exc))
    else:
        if wants_json:
            return JsonResponse({"id": card.pk, "column": request.POST.get("to", "")})
        messages.success(request, _("The card was moved."))
    return redirect(f"{reverse('team:board')}?team={card.team_id}")


@capability_required("manage_team")
def column_limit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a column's WIP limit (POST ``wip_limit``; empty: no limit)."""
    column = get_object_or_404(BoardColumn, pk=pk)
    if request.method == "POST":
        raw = request.POST.get("wip_limit", "").strip()
        if raw and not raw.isdigit():
            messages.error(request, _("A WIP limit is a positive number, or empty for none."))
        else:
            try:
                services.column_update(
                    column=column, by=request.user, wip_limit=int(raw) if raw else None
                )
            except TeamRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The WIP limit was saved."))
    return redirect(f"{reverse('team:board')}?team={column.team_id}")


@capability_required("view_servicegate")
def flow(request: HttpRequest) -> HttpResponse:
    """Flow metrics with charts: cumulative flow, cycle-time scatter, throughput."""
    team = _chosen_team(request)
    raw = request.GET.get("weeks", "12")
    weeks = min(max(int(raw), 1), 104) if raw.isdigit() else 12
    context = _base(request, team, "flow")
    context["weeks"] = weeks
    if team is not None:
        now = timezone.now()
        f = selectors.flow(team, weeks=weeks, now=now)
        start = now - timedelta(weeks=weeks)
        context.update(
            flow=f,
            done=sum(f.throughput),
            cfd=charts.cumulative_flow_svg(
                f.cfd_samples, f.cfd_counts, [c.name for c in f.cfd_columns]
            ),
            scatter=charts.cycle_time_svg(
                [(c.done_at, d) for c, d in f.cycle_times if c.done_at], f.p50, f.p85, start, now
            ),
            throughput=charts.throughput_svg(f.weeks, f.throughput),
        )
    return render(request, "team/flow.html", context)


def _skills_post(request: HttpRequest) -> None:
    """Assess a level (yourself or as lead), or turn a gap into a development action."""
    data = request.POST
    ids = {
        k: int(data[k])
        for k in ("person", "skill", "level", "product", "owner")
        if data.get(k, "").isdigit()
    }
    try:
        skill = get_object_or_404(Skill, pk=ids.get("skill", 0))
        if "product" in ids:
            services.gap_action_create(
                product=get_object_or_404(ServiceProduct, pk=ids["product"]),
                skill=skill,
                owner=get_object_or_404(User, pk=ids.get("owner", 0)),
                by=request.user,
            )
            messages.success(request, _("The development action is in the KVP register."))
        else:
            services.skill_assess(
                person=get_object_or_404(User, pk=ids.get("person", 0)),
                skill=skill,
                level=ids.get("level", -1),
                by=request.user,
            )
            messages.success(request, _("The assessment was saved."))
    except TeamRefused as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))


@capability_required("view_servicegate")
def skills(request: HttpRequest) -> HttpResponse:
    """The skills matrix ("service muscles") with the products' needs and the gaps."""
    if request.method == "POST":
        _skills_post(request)
        return redirect("team:skills")
    team = _chosen_team(request) if request.GET.get("team") else None
    matrix = selectors.skills_matrix(team)
    rows = [
        (p, [(s, p.levels.get(s.pk), p.self_levels.get(s.pk)) for s in matrix.skills])
        for p in matrix.people
    ]
    context = _base(request, team, "skills")
    user = request.user
    assert isinstance(user, User)
    led = [p.user for p in matrix.people if user in selectors.leads_of(p.user)]
    context.update(
        matrix=matrix,
        rows=rows,
        assessable=[user, *led],
        levels=SkillLevel.choices,
        can_develop=has_capability(user, "manage_team"),
        people=[p.user for p in matrix.people],
    )
    return render(request, "team/skills.html", context)


@capability_required("view_servicegate")
def delegation(request: HttpRequest) -> HttpResponse:
    """The delegation board: each decision area's level; the service manager sets it."""
    can_set = has_capability(request.user, "manage_team") and has_capability(
        request.user, "decide_gate"
    )
    if request.method == "POST":
        raw = request.POST.get("level", "")
        try:
            services.delegation_set(
                area=request.POST.get("area", ""),
                level=int(raw) if raw.lstrip("-").isdigit() else 0,
                by=request.user,
            )
        except TeamRefused as exc:
            if exc.status == 403:
                raise PermissionDenied(str(exc)) from exc
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The delegation level was saved."))
        return redirect("team:delegation")
    context = _base(request, None, "delegation")
    context.update(
        rows=selectors.delegation_board(),
        levels=DelegationLevel.choices,
        areas=DecisionArea.choices,
        can_set=can_set,
    )
    return render(request, "team/delegation.html", context)
