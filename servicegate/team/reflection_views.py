"""Pages of the team's reflection and shared work: retrospectives, feedback notes,
initiatives and knowledge articles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from servicegate.core.permissions import capability_required
from servicegate.operations.models import Ticket
from servicegate.team import reflection_services, selectors
from servicegate.team.errors import TeamRefused
from servicegate.team.forms import ArticleForm, FeedbackForm, InitiativeForm, RetroForm
from servicegate.team.models import Initiative, TeamMember


def _refused(request: HttpRequest, exc: TeamRefused) -> None:
    if exc.status == 403:
        raise PermissionDenied(str(exc)) from exc
    messages.error(request, str(exc))


@capability_required("view_servicegate")
def retros(request: HttpRequest) -> HttpResponse:
    """The team's retrospectives with their actions; members record a new one."""
    raw = request.GET.get("team", "")
    team = selectors.team_or_first(int(raw) if raw.isdigit() else None)
    members = [m.user for m in team.members.select_related("user")] if team else []
    form = RetroForm(request.POST or None, members=members)
    if request.method == "POST" and team is not None and form.is_valid():
        try:
            reflection_services.retro_create(
                team=team,
                by=request.user,
                date=form.cleaned_data["date"],
                went_well=form.cleaned_data["went_well"],
                to_improve=form.cleaned_data["to_improve"],
                actions=form.actions(),
            )
        except TeamRefused as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, _("The retrospective was recorded; its actions are in the KVP register.")
            )
            return redirect(f"{reverse('team:retros')}?team={team.pk}")
    context = {
        "team": team,
        "teams": list(selectors.teams()),
        "tab": "retros",
        "form": form,
        "retros": list(selectors.retrospectives(team)[:20]) if team else [],
        "can_record": team is not None
        and (
            selectors.is_team_member(request.user, team)
            or request.user.has_perm("accounts.manage_team")
        ),
    }
    return render(request, "team/retros.html", context)


@capability_required("view_servicegate")
def feedback(request: HttpRequest) -> HttpResponse:
    """The notes you may read (about you, or about the people you lead); write one."""
    user = request.user
    assert isinstance(user, User)
    led_teams = TeamMember.objects.filter(user=user, role="lead").values("team_id")
    people = list(
        User.objects.filter(team_memberships__team_id__in=led_teams).exclude(pk=user.pk).distinct()
    )
    if selectors.leads_of(user):
        people.append(user)
    form = FeedbackForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            reflection_services.feedback_create(
                person=form.cleaned_data["person"],
                by=user,
                kind=form.cleaned_data["kind"],
                strengths=form.cleaned_data["strengths"],
                growth=form.cleaned_data["growth"],
            )
        except TeamRefused as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, _("The note was saved; only the person and their lead see it.")
            )
            return redirect("team:feedback")
    context = {
        "tab": "feedback",
        "notes": list(selectors.feedback_visible_to(user)),
        "form": form if people else None,
    }
    return render(request, "team/feedback.html", context)


@capability_required("view_servicegate")
def initiatives(request: HttpRequest) -> HttpResponse:
    """Cross-functional initiatives; anyone starts one."""
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = reflection_services.initiative_create(by=request.user, **form.cleaned_data)
        except TeamRefused as exc:
            _refused(request, exc)
        else:
            return redirect("team:initiative", pk=initiative.pk)
    return render(
        request,
        "team/initiatives.html",
        {"tab": "initiatives", "initiatives": list(selectors.initiatives()), "form": form},
    )


@capability_required("view_servicegate")
def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    """One initiative with its members and links; join it (once)."""
    found = selectors.initiative_detail(pk)
    if found is None:
        get_object_or_404(Initiative, pk=pk)
    assert found is not None
    if request.method == "POST":
        try:
            reflection_services.initiative_join(initiative=found, by=request.user)
        except TeamRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("You joined the initiative."))
        return redirect("team:initiative", pk=pk)
    members = [(m, selectors.department_of(m.user)) for m in found.members.all()]
    return render(
        request,
        "team/initiative.html",
        {
            "tab": "initiatives",
            "initiative": found,
            "members": members,
            "is_member": any(m.user_id == request.user.pk for m, _d in members),
        },
    )


@capability_required("view_servicegate")
def knowledge(request: HttpRequest) -> HttpResponse:
    """Solution articles: search, the articles for a ticket, who feeds knowledge in."""
    query = request.GET.get("q", "")
    raw = request.GET.get("ticket", "")
    ticket = (
        Ticket.objects.select_related("asset").filter(pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = (
            Ticket.objects.select_related("asset").filter(pk=data["ticket"]).first()
            if data["ticket"]
            else None
        )
        try:
            reflection_services.article_create(
                by=request.user,
                title=data["title"],
                problem=data["problem"],
                solution=data["solution"],
                ticket=source,
            )
        except TeamRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Thank you: the article was published."))
            return redirect("team:knowledge")
    articles = selectors.articles_for_ticket(ticket) if ticket else selectors.article_search(query)
    return render(
        request,
        "team/knowledge.html",
        {
            "tab": "knowledge",
            "query": query,
            "ticket": ticket,
            "articles": list(articles[:50]),
            "contributions": selectors.contributions(),
            "form": form if request.user.has_perm("accounts.work_tickets") else None,
        },
    )
