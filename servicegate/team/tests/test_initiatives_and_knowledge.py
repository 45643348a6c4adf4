"""Initiatives beside the hierarchy (anyone starts or joins once, members from every
department with their roles) and knowledge articles written from resolved tickets."""

from __future__ import annotations

from django.contrib.auth.models import User

from servicegate.conftest import RoleMatrix
from servicegate.operations.models import Asset, Customer, Site, Ticket
from servicegate.operations.ticket_services import ticket_create, ticket_event_append
from servicegate.team.models import Article, InitiativeMember
from servicegate.team.tests.conftest import send


def test_anyone_starts_an_initiative_and_others_join_once(
    alice: User, carol: User, victor: User
) -> None:
    response = send(
        alice, "post", "/api/v1/initiatives", {"title": "Sell inspections", "goal": "20 sold"}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert send(carol, "post", f"/api/v1/initiatives/{pk}/join").status_code == 201
    again = send(carol, "post", f"/api/v1/initiatives/{pk}/join")
    assert again.status_code == 409
    assert again.json()["detail"] == "You are a member of this initiative already."
    assert InitiativeMember.objects.filter(initiative_id=pk).count() == 2
    body = send(victor, "get", f"/api/v1/initiatives/{pk}").json()
    assert body["members"] == [
        {"user": "alice", "role": "initiator", "department": "sales"},
        {"user": "carol", "role": "member", "department": "technician"},
    ]


def test_members_link_an_initiative_and_set_its_outcome(alice: User, bob: User) -> None:
    from servicegate.improvement.services import action_create

    action = action_create(by=alice, title="Brochure", owner=alice, source="retrospective")
    pk = send(alice, "post", "/api/v1/initiatives", {"title": "T", "goal": "G"}).json()["id"]
    url = f"/api/v1/initiatives/{pk}/links"
    assert send(bob, "post", url, {"kind": "action", "target_id": action.pk}).status_code == 403
    missing = send(alice, "post", url, {"kind": "finding", "target_id": 999})
    assert missing.status_code == 404
    assert missing.json()["detail"] == "There is no KVP finding 999 to link."
    linked = send(alice, "post", url, {"kind": "action", "target_id": action.pk})
    assert linked.json()["links"] == [{"kind": "action", "target_id": action.pk, "note": ""}]
    body = {"status": "done", "outcomes": "12 sold"}
    done = send(alice, "patch", f"/api/v1/initiatives/{pk}", body)
    assert (done.json()["status"], done.json()["outcomes"]) == ("done", "12 sold")


def test_who_may_start_an_initiative(role_matrix: RoleMatrix) -> None:
    role_matrix(
        "/api/v1/initiatives",
        {"*": 201},
        method="post",
        data={"title": "Knowledge Fridays", "goal": "One article a week"},
        api=True,
    )


def test_articles_from_resolved_tickets_are_found_and_linked(
    customer: Customer, dana: User, carol: User, victor: User
) -> None:
    site = Site.objects.create(customer=customer, name="Werk 1", city="München")
    asset = Asset.objects.create(site=site, product_model="HX-200", serial_number="1")
    other = Asset.objects.create(site=site, product_model="HX-200", serial_number="2")
    solved = ticket_create(
        by=dana, title="Leak", customer_id=customer.pk, asset_id=asset.pk, priority="P2"
    )
    # an article needs a resolved ticket
    refused = send(
        carol,
        "post",
        "/api/v1/articles",
        {"title": "Leak at HX-200", "problem": "Oil", "solution": "Seal", "ticket": solved.pk},
    )
    assert refused.status_code == 409
    ticket_event_append(ticket=solved, by=dana, status="resolved")
    made = send(
        carol,
        "post",
        "/api/v1/articles",
        {
            "title": "Leak at HX-200",
            "problem": "Oil at the pump",
            "solution": "Replace seal 4711",
            "ticket": solved.pk,
        },
    )
    assert made.status_code == 201
    assert made.json()["asset_model"] == "HX-200"
    # searchable, linked from a ticket on the same model, counted for carol
    assert [
        a["title"]
        for a in send(victor, "get", "/api/v1/articles/", {"q": "seal pump"}).json()["items"]
    ] == ["Leak at HX-200"]
    assert send(victor, "get", "/api/v1/articles/", {"q": "gearbox"}).json()["count"] == 0
    new = ticket_create(
        by=dana, title="Leak again", customer_id=customer.pk, asset_id=other.pk, priority="P2"
    )
    assert send(victor, "get", "/api/v1/articles/", {"ticket": new.pk}).json()["count"] == 1
    assert send(victor, "get", "/api/v1/articles/contributions").json() == [
        {"user": "carol", "articles": 1}
    ]
    assert (
        send(
            victor, "post", "/api/v1/articles", {"title": "x", "problem": "y", "solution": "z"}
        ).status_code
        == 403
    )
    assert Article.objects.count() == 1
    assert isinstance(new, Ticket)
