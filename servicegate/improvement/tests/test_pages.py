"""The KVP pages: who sees and writes what, the forms, the stage strip and the effect."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from servicegate.conftest import RoleMatrix
from servicegate.improvement.models import Action, Finding
from servicegate.improvement.services import action_create, action_transition, finding_create
from servicegate.improvement.tests.conftest import Summarise
from servicegate.promises.models import Promise


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_staff_role_reads_the_register_and_raises_findings_but_viewers(
    role_matrix: RoleMatrix, carol: User
) -> None:
    finding = finding_create(by=carol, source="technician", title="Seen")
    action = action_create(by=carol, title="Own", owner=carol, source="retrospective")
    for url in (
        "/improvement/",
        "/improvement/actions/",
        "/improvement/actions/?view=board",
        f"/improvement/findings/{finding.pk}/",
        f"/improvement/actions/{action.pk}/",
    ):
        role_matrix(url, {"*": 200})
    role_matrix("/improvement/findings/new/", {"victor": 403, "*": 200})
    role_matrix("/improvement/actions/new/", {"victor": 403, "*": 200})
    role_matrix(
        f"/improvement/findings/{finding.pk}/close/",
        {"*": 403, "bob": 302, "quinn": 302, "ada": 302},
        method="post",
        data={},
    )


def test_raising_a_finding_on_the_page_leads_to_it(carol: User, promise: Promise) -> None:
    response = login(carol).post(
        "/improvement/findings/new/",
        {"source": "technician", "title": "Parts late", "severity": "high", "promise": promise.pk},
    )
    finding = Finding.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/improvement/findings/{finding.pk}/"
    )
    assert finding.product == promise.product


def test_an_action_without_kpi_is_refused_on_the_page_with_the_sentence(bob: User) -> None:
    response = login(bob).post(
        "/improvement/actions/new/", {"title": "Something", "owner": bob.pk, "source": "technician"}
    )
    assert response.status_code == 200
    assert "An action needs a KPI" in response.content.decode()
    assert not Action.objects.exists()


def test_the_action_page_shows_the_strip_moves_on_and_refuses_skipping(
    bob: User, carol: User, promise: Promise, summarise: Summarise
) -> None:
    today = timezone.now().date()
    summarise(promise, today - timedelta(days=5), 20, 10)
    finding = finding_create(by=carol, source="technician", title="Queue", promise=promise)
    client = login(carol)
    response = client.post(
        f"/improvement/actions/new/?finding={finding.pk}",
        {"title": "Alarm", "owner": carol.pk, "window_days": 30},
    )
    action = Action.objects.get()
    assert response["Location"] == f"/improvement/actions/{action.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="stage-strip"' in page and "Move to “Do”" in page
    client.post(f"/improvement/actions/{action.pk}/move/", {"to": "check"})
    action.refresh_from_db()
    assert action.stage == "plan"
    messages = [
        str(m) for m in client.get(f"/improvement/actions/{action.pk}/").context["messages"]
    ]
    assert any("cannot be skipped" in m for m in messages)
    client.post(f"/improvement/actions/{action.pk}/move/", {"to": "do"})
    summarise(promise, today, 10, 10)
    action_transition(action=action, to="check", by=carol, now=timezone.now() + timedelta(days=1))
    page = client.get(f"/improvement/actions/{action.pk}/").content.decode()
    assert "<svg" in page and "improved" in page


def test_lists_take_a_fixed_number_of_queries(
    bob: User, carol: User, promise: Promise, django_assert_max_num_queries: Any
) -> None:
    for i in range(6):
        finding = finding_create(by=carol, source="technician", title=f"F{i}", promise=promise)
        action_create(by=bob, title=f"A{i}", owner=carol, finding=finding)
    client = login(bob)
    for url in ("/improvement/", "/improvement/actions/", "/improvement/actions/?view=board"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_the_register_speaks_german(carol: User, bob: User) -> None:
    finding = finding_create(by=carol, source="technician", title="Teile fehlen")
    action = action_create(by=bob, title="Ersatzteilkiste", owner=bob, source="retrospective")
    client = login(bob)
    page = client.get("/improvement/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "KVP-Register: Befunde" in page and "Techniker" in page
    detail = client.get(f"/improvement/actions/{action.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Weiter nach „Do“" in detail.content.decode()
    assert finding.title in page


def test_promise_and_ticket_pages_link_to_their_findings(
    bob: User, carol: User, promise: Promise, resolved_ticket: Any
) -> None:
    ticket = resolved_ticket(timezone.now() - timedelta(days=1), 2)
    client = login(bob)
    page = client.get(f"/operations/tickets/{ticket.pk}/").content.decode()
    assert f"/improvement/findings/new/?ticket={ticket.pk}" in page
    client.post(
        "/improvement/findings/new/",
        {"source": "technician", "title": "Wrong part", "severity": "medium", "ticket": ticket.pk},
    )
    finding = Finding.objects.get()
    assert finding.ticket == ticket and finding.customer == ticket.customer
    assert "Wrong part" in client.get(f"/operations/tickets/{ticket.pk}/").content.decode()
    finding_create(by=carol, source="technician", title="Queue long", promise=promise)
    assert "Queue long" in client.get(f"/promises/{promise.pk}/").content.decode()


def test_only_kvp_leads_and_the_owner_move_an_action_on_the_page(
    role_matrix: RoleMatrix, bob: User, carol: User
) -> None:
    def fresh() -> str:
        action = action_create(by=bob, title="Own", owner=carol, source="retrospective")
        return f"/improvement/actions/{action.pk}/move/"

    deny = {"alice": 403, "dana": 403, "victor": 403}
    for mover in ("carol", "bob", "quinn", "ada"):
        role_matrix(fresh(), {**deny, mover: 302}, method="post", data={"to": "do"})
    assert set(Action.objects.values_list("stage", flat=True)) == {"do"}
