"""The board: cards arrive with their tickets and follow their statuses; moves respect
the WIP limit unless an override reason is given (kept and shown); bad moves change
nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from servicegate.operations.models import Customer, Ticket
from servicegate.operations.ticket_services import ticket_create, ticket_event_append
from servicegate.team.models import BoardColumn, Card, CardMove, Team
from servicegate.team.services import column_update
from servicegate.team.tests.conftest import send

NewTicket = Callable[..., Ticket]


@pytest.fixture
def new_ticket(customer: Customer, dana: User, team: Team) -> NewTicket:
    def make(title: str = "Press stops", group: str = "Süd") -> Ticket:
        return ticket_create(
            by=dana, title=title, customer_id=customer.pk, priority="P2", assignment_group=group
        )

    return make


def _column(card: Card) -> str:
    card.refresh_from_db()
    return card.column.key


def test_a_ticket_of_the_teams_group_lands_on_its_board_and_follows_its_status(
    new_ticket: NewTicket, dana: User, team: Team
) -> None:
    ticket = new_ticket()
    card = Card.objects.get(ticket=ticket)
    assert (card.team, _column(card), card.started_at) == (team, "todo", None)
    ticket_event_append(ticket=ticket, by=dana, status="in_progress")
    assert _column(card) == "doing"
    assert card.started_at is not None
    ticket_event_append(ticket=ticket, by=dana, status="resolved")
    assert _column(card) == "done"
    assert card.done_at is not None
    new_ticket(group="Nord")  # no team works the Nord group
    assert not Card.objects.filter(ticket__assignment_group="Nord").exists()


def test_moving_a_card_records_its_tickets_status(new_ticket: NewTicket, dana: User) -> None:
    ticket = new_ticket()
    card = Card.objects.get(ticket=ticket)
    response = send(dana, "post", f"/api/v1/board/cards/{card.pk}/move", {"to": "waiting"})
    assert response.status_code == 200, response.json()
    ticket.refresh_from_db()
    assert ticket.status == "awaiting_customer"
    assert _column(card) == "waiting"


def test_the_wip_limit_refuses_a_move_without_a_reason(
    new_ticket: NewTicket, dana: User, bob: User, team: Team
) -> None:
    column_update(column=team.columns.get(key="doing"), wip_limit=2, by=bob)
    cards = [Card.objects.get(ticket=new_ticket(f"T{i}")) for i in range(3)]
    for card in cards[:2]:
        assert (
            send(dana, "post", f"/api/v1/board/cards/{card.pk}/move", {"to": "doing"}).status_code
            == 200
        )
    url = f"/api/v1/board/cards/{cards[2].pk}/move"
    for reason in ("", "   "):
        response = send(dana, "post", url, {"to": "doing", "override_reason": reason})
        assert response.status_code == 409
        assert response.json()["detail"] == (
            "The column In progress is at its WIP limit of 2 cards; finish a card there "
            "first, or give an override reason."
        )
        assert _column(cards[2]) == "todo"
    # with a reason the card goes in, and the board shows the reason
    reason = "Line down at the customer, P1 in all but name."
    response = send(dana, "post", url, {"to": "doing", "override_reason": reason})
    assert response.status_code == 200
    assert CardMove.objects.get(card=cards[2], to_column__key="doing").override_reason == reason
    board = send(dana, "get", "/api/v1/board", {"team": team.pk}).json()
    doing = next(c for c in board["columns"] if c["key"] == "doing")
    assert doing["wip_limit"] == 2
    assert [c["override_reason"] for c in doing["cards"]] == ["", "", reason]


def test_an_unknown_column_is_refused_with_the_columns(new_ticket: NewTicket, dana: User) -> None:
    card = Card.objects.get(ticket=new_ticket())
    response = send(dana, "post", f"/api/v1/board/cards/{card.pk}/move", {"to": "limbo"})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "There is no column limbo on this board; use one of: todo, doing, waiting, done."
    )
    assert _column(card) == "todo"
    assert CardMove.objects.filter(card=card).count() == 1


def test_who_may_move_cards(role_matrix: object, new_ticket: NewTicket) -> None:
    card = Card.objects.get(ticket=new_ticket())
    role_matrix(  # type: ignore[operator]
        f"/api/v1/board/cards/{card.pk}/move",
        {"victor": 403, "alice": 403, "quinn": 403, "carol": 403, "dana": 200},
        method="post",
        data={"to": "doing"},
        api=True,
    )
    assert _column(card) == "doing"


def test_everyone_on_the_staff_reads_the_board_and_the_flow(
    role_matrix: object, team: Team
) -> None:
    role_matrix("/api/v1/board", {"*": 200}, api=True)  # type: ignore[operator]
    role_matrix("/api/v1/flow?weeks=4", {"*": 200}, api=True)  # type: ignore[operator]
    role_matrix("/team/board/", {"*": 200})  # type: ignore[operator]


def test_the_board_reads_in_a_fixed_number_of_queries(
    new_ticket: NewTicket, team: Team, django_assert_max_num_queries: Callable[..., object]
) -> None:
    from django.utils import timezone

    from servicegate.team.selectors import board

    new_ticket()
    with django_assert_max_num_queries(3):  # type: ignore[attr-defined]
        small = board(team, now=timezone.now())
    for i in range(8):
        new_ticket(f"more {i}")
    with django_assert_max_num_queries(3):  # type: ignore[attr-defined]
        large = board(team, now=timezone.now())
    assert sum(len(c.cards) for c in large) == 9 > sum(len(c.cards) for c in small)
    assert BoardColumn.objects.filter(team=team).count() == 4


def test_the_lead_configures_the_columns(team: Team, dana: User, victor: User) -> None:
    url = f"/api/v1/teams/{team.pk}/columns"
    review = {"key": "review", "name": "Review", "wip_limit": 2}
    assert send(victor, "post", url, review).status_code == 403
    made = send(dana, "post", url, review)
    assert made.status_code == 201
    assert made.json()["key"] == "review"
    assert send(dana, "post", url, review).status_code == 409  # the key exists
    claimed = send(dana, "post", url, {"key": "x", "name": "X", "statuses": ["in_progress"]})
    assert claimed.status_code == 409
    assert "a status belongs to one column" in claimed.json()["detail"]
    assert (
        send(dana, "post", url, {"key": "y", "name": "Y", "statuses": ["lost"]}).status_code == 422
    )
    column = team.columns.get(key="review")
    patched = send(dana, "patch", f"/api/v1/board/columns/{column.pk}", {"wip_limit": None})
    assert patched.json()["wip_limit"] is None
    assert [c.key for c in team.columns.order_by("order")] == [
        "todo",
        "doing",
        "waiting",
        "done",
        "review",
    ]


def test_a_team_is_created_with_its_lead_and_board(bob: User, dana: User, carol: User) -> None:
    body = {"name": "Service Ost", "lead": "dana", "members": ["carol"], "ticket_group": "Ost"}
    response = send(bob, "post", "/api/v1/teams/", body)
    assert response.status_code == 201
    team = Team.objects.get(name="Service Ost")
    assert {(m.user.username, m.role) for m in team.members.all()} == {
        ("dana", "lead"),
        ("carol", "member"),
    }
    assert team.columns.count() == 4
    assert send(bob, "post", "/api/v1/teams/", body).status_code == 409
