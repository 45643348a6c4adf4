"""Customer contacts: invited by e-mail with a one-time link, linked to one customer."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from servicegate.conftest import RoleMatrix
from servicegate.operations.models import Customer
from servicegate.portal.models import CustomerContact, Invitation

pytestmark = pytest.mark.django_db
PASSWORD = "a long portal passphrase 42"


def _invite(client: Client, customer: Customer, email: str = "eva@weber.example") -> str:
    response = client.post("/portal/contacts/", {"customer": customer.pk, "email": email})
    assert response.status_code == 302, response.content
    link = re.search(r"http://testserver(/portal/invitation/\S+/)", str(mail.outbox[-1].body))
    assert link is not None, mail.outbox[-1].body
    return link[1]


def test_only_service_managers_and_admins_invite(role_matrix: RoleMatrix) -> None:
    role_matrix("/portal/contacts/", {"bob": 200, "ada": 200, "*": 403})


def test_an_invited_contact_joins_once_and_sees_its_customer(
    bob: User, customer: Customer, session_of: Callable[[User], Client]
) -> None:
    # given: bob invites eva of Weber
    link = _invite(session_of(bob), customer)
    assert mail.outbox[-1].to == ["eva@weber.example"]
    # when: eva opens the link (without a session) and chooses her login
    anonymous = Client()
    assert anonymous.get(link).status_code == 200
    response = anonymous.post(link, {"username": "eva", "password": PASSWORD})
    # then: she is logged in on the portal, a contact of Weber only
    assert response.status_code == 302 and response["Location"] == "/portal/"
    eva = User.objects.get(username="eva")
    assert CustomerContact.objects.get(user=eva).customer == customer
    me = anonymous.get("/api/v1/me").json()
    assert me == {
        "username": "eva",
        "roles": ["customer"],
        "customer": {"id": customer.pk, "name": customer.name},
    }
    assert Invitation.objects.get().accepted_at is not None
    # and the link works once
    again = Client().post(link, {"username": "mallory", "password": PASSWORD})
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    assert not User.objects.filter(username="mallory").exists()


def test_an_unknown_link_and_a_weak_password_are_refused(
    bob: User, customer: Customer, session_of: Callable[[User], Client]
) -> None:
    assert Client().get("/portal/invitation/nonsense/").status_code == 404
    link = _invite(session_of(bob), customer)
    weak = Client().post(link, {"username": "eva", "password": "123"})
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    assert not User.objects.filter(username="eva").exists()


def test_staff_me_names_no_customer(bob: User, session_of: Callable[[User], Client]) -> None:
    me = session_of(bob).get("/api/v1/me").json()
    assert "customer" not in me and me["roles"] == ["service_manager"]


def test_the_customer_page_links_the_invitation_for_those_who_may(
    bob: User,
    customer: Customer,
    persona: Callable[[str], User],
    session_of: Callable[[User], Client],
) -> None:
    url = f"/operations/customers/{customer.pk}/"
    assert 'data-testid="portal-invite"' in session_of(bob).get(url).content.decode()
    viewer = session_of(persona("victor")).get(url).content.decode()
    assert 'data-testid="portal-invite"' not in viewer
    form = session_of(bob).get(f"/portal/contacts/?customer={customer.pk}").content.decode()
    assert f'<option value="{customer.pk}" selected>' in form


def test_an_expired_invitation_opens_nothing(
    bob: User, customer: Customer, session_of: Callable[[User], Client]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    link = _invite(session_of(bob), customer)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().post(link, {"username": "eva", "password": PASSWORD})
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.filter(username="eva").exists()
