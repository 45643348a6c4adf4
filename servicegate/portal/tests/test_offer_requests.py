"""A customer contact requests a preventive offer; Sales sees it; once per offer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from servicegate.inbox.selectors import inbox_for
from servicegate.operations.choices import TicketKind
from servicegate.operations.models import Customer, Ticket
from servicegate.portal.models import OfferRequest
from servicegate.portal.services import offer_request

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Figures:
    id: str
    product: int
    product_name: str
    incidents_avoided: float
    downtime_hours_avoided: float
    interval_days: int
    price: float
    currency: str


@dataclass(frozen=True)
class Wrapped:
    """Shaped like maintenance's ``CustomerOffer``: the figures inside, one sentence out."""

    offer: Figures

    def __str__(self) -> str:
        return f"{self.offer.product_name}: a visit every {self.offer.interval_days} days."


def offers(customer: Customer) -> list[Wrapped]:
    """Two offers per customer; their ids carry the customer's id like maintenance's."""
    return [
        Wrapped(Figures(f"{customer.pk}-7", 7, "Pump care", 2.5, 30, 90, 4800, "EUR")),
        Wrapped(Figures(f"{customer.pk}-8", 8, "Filter care", 1.0, 5, 180, 900, "EUR")),
    ]


HOOK = override_settings(SERVICEGATE_PORTAL_OFFERS=f"{__name__}.offers")


@HOOK
def test_a_contact_requests_an_offer_once_and_sales_sees_it(
    kim: User,
    alice: User,
    bob: User,
    customer: Customer,
    session_of: Callable[[User], Client],
) -> None:
    client = session_of(kim)
    page = client.get("/portal/offers/").content.decode()
    assert "Pump care" in page and f"/portal/offers/{customer.pk}-7/request/" in page
    response = client.post(f"/portal/offers/{customer.pk}-7/request/")
    assert response.status_code == 302
    made = OfferRequest.objects.get()
    assert (made.customer, made.offer, made.product_name) == (
        customer,
        f"{customer.pk}-7",
        "Pump care",
    )
    ticket = made.ticket
    assert ticket.kind == TicketKind.REQUEST and ticket.customer == customer
    assert "Pump care" in ticket.title
    page = client.get("/portal/offers/").content.decode()
    assert "Requested: we will be in touch." in page
    assert f"/portal/offers/{customer.pk}-7/request/" not in page
    assert f"/portal/offers/{customer.pk}-8/request/" in page
    # twice: 409 with a sentence, nothing written
    again = client.post(f"/portal/offers/{customer.pk}-7/request/")
    assert again.status_code == 409
    assert "requested the offer Pump care already" in again.content.decode()
    assert OfferRequest.objects.count() == 1 and Ticket.objects.count() == 1
    # Sales (sell_preventive) sees it in the inbox; others do not
    titles = [i.title for i in inbox_for(alice) if i.kind == "offer_request"]
    assert titles == [f"{customer.name} requested the offer Pump care (ticket {ticket.number})."]
    assert [i for i in inbox_for(bob) if i.kind == "offer_request"] != []  # service manager sells
    carol_items = [i for u in User.objects.filter(username="victor") for i in inbox_for(u)]
    assert not [i for i in carol_items if i.kind == "offer_request"]


@HOOK
def test_another_customers_offer_is_404(
    kim: User,
    other_customer: Customer,
    session_of: Callable[[User], Client],
    bearer_of: Callable[[User], Client],
) -> None:
    foreign = f"{other_customer.pk}-7"
    assert session_of(kim).post(f"/portal/offers/{foreign}/request/").status_code == 404
    api = bearer_of(kim).post(f"/api/v1/portal/offers/{foreign}/request")
    assert api.status_code == 404
    assert api.json()["detail"] == f"There is no offer {foreign} for your organisation."
    assert not OfferRequest.objects.exists() and not Ticket.objects.exists()


@HOOK
def test_the_api_requests_an_offer_once(
    kim: User, customer: Customer, bearer_of: Callable[[User], Client]
) -> None:
    client = bearer_of(kim)
    url = f"/api/v1/portal/offers/{customer.pk}-8/request"
    first = client.post(url)
    assert first.status_code == 201, first.content
    body = first.json()
    made = OfferRequest.objects.get()
    assert body["id"] == made.pk and body["product_name"] == "Filter care"
    assert body["ticket_number"] == made.ticket.number
    second = client.post(url)
    assert second.status_code == 409
    assert "already" in second.json()["detail"]
    assert OfferRequest.objects.count() == 1


@HOOK
def test_staff_may_not_request_offers(
    customer: Customer, role_matrix: Callable[..., None], alice: User
) -> None:
    role_matrix(f"/portal/offers/{customer.pk}-7/request/", {"*": 403}, method="post")
    role_matrix(
        f"/api/v1/portal/offers/{customer.pk}-7/request", {"*": 403}, method="post", api=True
    )
    with pytest.raises(Exception, match="Only customer contacts"):
        offer_request(by=alice, offer_id=f"{customer.pk}-7")
    assert not OfferRequest.objects.exists()


@HOOK
def test_the_offers_page_speaks_german(
    kim: User, customer: Customer, session_of: Callable[[User], Client]
) -> None:
    client = session_of(kim)
    client.post(f"/portal/offers/{customer.pk}-7/request/")
    page = client.get("/portal/offers/", headers={"accept-language": "de"}).content.decode()
    assert "Angebot anfordern" in page and "Angefordert" in page
