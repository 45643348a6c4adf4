"""Clock start, pause and stop statuses are chosen from the organisation's ticket
statuses (never free text); by default the clock starts when the ticket is opened."""

from __future__ import annotations

import json

from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.catalog.models import ServiceProduct
from servicegate.promises.models import Promise
from servicegate.promises.tests.conftest import api_client, login
from servicegate.promises.tests.test_api_promises import _payload


def test_form_offers_statuses_to_choose(alice: User) -> None:
    page = login(alice).get("/promises/new/").content.decode()
    assert 'type="checkbox" name="clock_start_statuses" value="new"' in page
    assert 'name="clock_pause_statuses" value="awaiting_customer" id' in page
    # the defaults are ticked: pause while awaiting the customer, stop when resolved
    pause = 'value="awaiting_customer" id="id_clock_pause_statuses_3" checked'
    assert f'name="clock_pause_statuses" {pause}' in page
    assert 'value="resolved" id="id_clock_stop_statuses_6" checked' in page
    assert 'type="text" name="clock_start_statuses"' not in page
    assert 'value="other"' not in page


def test_a_new_promise_starts_at_the_opening(alice: User, draft: Promise) -> None:
    assert draft.clock_start_statuses == []
    page = login(alice).get(f"/promises/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    assert "wenn das Ticket eröffnet wird" in page.content.decode()


def test_free_text_status_is_refused(
    alice: User, product: ServiceProduct, calendar: BusinessCalendar
) -> None:
    payload = _payload(product, calendar, clock_pause_statuses=["Awaiting User"])
    response = api_client(alice).post(
        "/api/v1/promises/", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422
    assert "These are not ticket statuses: Awaiting User." in response.content.decode()
    assert not Promise.objects.exists()


def test_named_statuses_are_kept(
    alice: User, product: ServiceProduct, calendar: BusinessCalendar
) -> None:
    payload = _payload(
        product, calendar, clock_start_statuses=["new"], clock_pause_statuses=["awaiting_vendor"]
    )
    response = api_client(alice).post(
        "/api/v1/promises/", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["clock_start_statuses"] == ["new"]
