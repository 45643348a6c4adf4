"""Writes of the team board: cards arrive with their items, follow their items'
statuses, and are moved by the team under the columns' WIP limits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import has_capability
from servicegate.improvement.models import Action
from servicegate.operations.choices import STOP_STATUSES
from servicegate.operations.errors import TicketRefused
from servicegate.operations.models import Ticket
from servicegate.operations.ticket_services import ticket_event_append
from servicegate.team.errors import TeamRefused
from servicegate.team.models import BoardColumn, Card, CardMove, RetroAction, Team
from servicegate.team.selectors import column_for_status


def _place(
    card: Card, column: BoardColumn, *, at: datetime, by: User | None, reason: str = ""
) -> CardMove:
    """Put ``card`` into ``column`` at ``at`` and record the move (no checks)."""
    first = column.team.columns.order_by("order", "pk").values_list("pk", flat=True).first()
    move = CardMove(
        card=card,
        from_column_id=card.column_id,
        to_column=column,
        at=at,
        by=by,
        override_reason=reason,
    )
    card.column = column
    card.column_since = at
    if column.pk != first and card.started_at is None:
        card.started_at = at
    card.done_at = at if column.done else None
    card.save()
    move.card = card
    move.save()
    return move


def card_add(
    *,
    team: Team,
    by: Actor | None,
    title: str,
    ticket: Ticket | None = None,
    action_id: int | None = None,
    at: datetime | None = None,
    follow_item: bool = True,
) -> Card:
    """Put a ticket (or an improvement action) on ``team``'s board, in the column of the
    ticket's status (the first column otherwise). ``by`` None: the system (an item
    arriving); otherwise ``work_tickets`` or ``manage_team``. ``follow_item`` False
    starts in the first column whatever the item's status (replaying history)."""
    user = None if by is None else _require_mover(by)
    columns = list(team.columns.order_by("order", "pk"))
    if not columns:
        raise TeamRefused(_("The team's board has no columns yet; add columns first."), status=409)
    at = at or (ticket.opened_at if ticket is not None else timezone.now())
    column = (column_for_status(columns, ticket.status) if ticket and follow_item else None) or (
        columns[0]
    )
    with transaction.atomic():
        if ticket is not None and Card.objects.filter(ticket=ticket).exists():
            raise TeamRefused(_("This ticket is on a board already."), status=409)
        card = Card(
            team=team,
            ticket=ticket,
            action_id=action_id,
            title=title[:200],
            created_at=at,
            column=columns[0],
            column_since=at,
        )
        card.save()
        card.column_id = None  # type: ignore[assignment]  # the first move has no origin
        _place(card, column, at=at, by=user)
    return card


def _require_mover(by: Actor) -> User:
    user = as_user(by)
    if not (has_capability(user, "work_tickets") or has_capability(user, "manage_team")):
        raise TeamRefused(
            _("Your role does not allow moving cards; the team moves its own cards."), status=403
        )
    return user


def card_move(
    *,
    card: Card,
    to: str,
    by: Actor,
    override_reason: str = "",
    at: datetime | None = None,
    follow_item: bool = True,
) -> Card:
    """Move ``card`` to the column with key ``to`` of its board.

    Refused with 422 for an unknown column and 409 when the column is at its WIP
    limit, unless ``override_reason`` says why (kept on the move and shown on the
    board). When the column stands for item statuses the card's ticket does not have,
    the ticket's status is recorded too (through operations, which may refuse: a
    technician records statuses only on their own tickets), so card and item agree.
    ``follow_item`` False leaves the item alone (replaying a board's history).
    """
    user = _require_mover(by)
    reason = override_reason.strip()
    at = at or timezone.now()
    with transaction.atomic():
        card = Card.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=card.pk)
        columns = {c.key: c for c in BoardColumn.objects.filter(team_id=card.team_id)}
        target = columns.get(to)
        if target is None:
            raise TeamRefused(
                _("There is no column %(to)s on this board; use one of: %(keys)s.")
                % {"to": to, "keys": ", ".join(columns)}
            )
        if target.pk == card.column_id:
            return card
        BoardColumn.objects.select_for_update().get(pk=target.pk)  # one move at a time
        in_target = Card.objects.filter(column=target).exclude(pk=card.pk).count()
        if target.wip_limit is not None and in_target >= target.wip_limit and not reason:
            raise TeamRefused(
                _(
                    "The column %(column)s is at its WIP limit of %(limit)s cards; finish a "
                    "card there first, or give an override reason."
                )
                % {"column": target.name, "limit": target.wip_limit},
                status=409,
            )
        over_limit = target.wip_limit is not None and in_target >= target.wip_limit
        _place(card, target, at=at, by=user, reason=reason if over_limit else "")
        ticket = card.ticket
        stale = ticket is not None and target.statuses and ticket.status not in target.statuses
        if follow_item and ticket is not None and stale:
            try:
                ticket_event_append(ticket=ticket, by=user, status=target.statuses[0], at=at)
            except TicketRefused as exc:
                raise TeamRefused(str(exc), status=exc.status) from exc
    return card


def cards_follow(ticket_ids: Iterable[int]) -> None:
    """Listener of ticket writes: each card moves to the column of its ticket's status;
    an open ticket without a card gets one on its team's board."""
    teams = list(Team.objects.all())
    if not teams:
        return
    groups = {t.ticket_group: t for t in teams if t.ticket_group}
    columns: dict[int, list[BoardColumn]] = {}
    for column in BoardColumn.objects.order_by("order", "pk"):
        columns.setdefault(column.team_id, []).append(column)
    now = timezone.now()
    # only tickets a board shows or would show: a big import touches few of them
    tickets = (
        Ticket.objects.filter(pk__in=list(ticket_ids))
        .filter(
            Q(card__isnull=False)
            | Q(technician__team__isnull=False)
            | Q(assignment_group__in=list(groups))
        )
        .select_related("technician__team", "card")
    )
    for ticket in tickets.iterator(chunk_size=2000):
        card: Card | None = getattr(ticket, "card", None)
        if card is None:
            tech_team = ticket.technician.team if ticket.technician else None
            team = tech_team or groups.get(ticket.assignment_group)
            if team is not None and ticket.status not in STOP_STATUSES:
                card_add(team=team, by=None, title=_title(ticket), ticket=ticket)
            continue
        target = column_for_status(columns.get(card.team_id, []), ticket.status)
        if target is not None and target.pk != card.column_id:
            _place(card, target, at=max(now, card.column_since), by=None)


def _title(ticket: Ticket) -> str:
    return f"{ticket.number} {ticket.title}".strip()


def action_cards_follow(action_ids: Iterable[int]) -> None:
    """Listener of improvement-action stage changes: an action's card moves with its
    PDCA stage — plan in the first column, do/check/act in the first working column
    (neither first nor done), done in the first done column."""
    ids = list(action_ids)
    # a retro action is done when its improvement action is
    done = list(Action.objects.filter(pk__in=ids, stage="done").values_list("pk", flat=True))
    RetroAction.objects.filter(action_id__in=ids).update(done=False)
    RetroAction.objects.filter(action_id__in=done).update(done=True)
    cards = list(Card.objects.filter(action_id__in=ids))
    if not cards:
        return
    stages = dict(
        Action.objects.filter(pk__in=[c.action_id for c in cards]).values_list("pk", "stage")
    )
    columns: dict[int, list[BoardColumn]] = {}
    for column in BoardColumn.objects.filter(team_id__in={c.team_id for c in cards}).order_by(
        "order", "pk"
    ):
        columns.setdefault(column.team_id, []).append(column)
    now = timezone.now()
    for card in cards:
        target = _stage_column(columns.get(card.team_id, []), stages.get(card.action_id or 0, ""))
        if target is not None and target.pk != card.column_id:
            _place(card, target, at=max(now, card.column_since), by=None)


def _stage_column(columns: list[BoardColumn], stage: str) -> BoardColumn | None:
    if not columns or not stage:
        return None
    if stage == "plan":
        return columns[0]
    if stage == "done":
        return next((c for c in columns if c.done), None)
    return next((c for c in columns[1:] if not c.done), None)
