"""A customer contact reaches the portal and nothing else — over every URL and operation.

The walk covers every pattern of the URL resolver and every operation of the OpenAPI
document, so pages and endpoints added later are covered without touching this file.
Path parameters are filled with real ids of the *other* customer's objects. A URL the
walk cannot build or a portal URL it does not know fails the test: classify it here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from servicegate.api.api import api
from servicegate.operations.models import Asset, Customer, Ticket

pytestmark = pytest.mark.django_db

# Portal pages: (GET, POST) status for kim with the other customer's ids (POST None: not sent).
PORTAL_PAGES: dict[str, tuple[int, int | None]] = {
    "index": (200, None),
    "tickets": (200, None),
    "ticket_new": (200, None),
    "ticket": (404, None),
    "ticket_comment": (405, 404),
    "ticket_feedback": (405, 404),
    "attachment": (404, None),
    "visits": (200, None),
    "offers": (200, None),
    "offer_request": (405, 404),  # another customer's offer
    "contacts": (403, None),  # staff only: inviting contacts
    "accept": (404, None),  # an unknown invitation token
    "staff_reply": (405, 403),  # staff answer customers
    "staff_attachment": (403, None),
}
# Paths outside the portal a customer contact may reach, and what a GET answers.
OPEN_OUTSIDE: dict[str, int] = {
    "dashboard": 302,  # the start page sends a customer contact to the portal
    "accounts:login": 302,  # logged in already: on to the start page
    "accounts:logout": 405,
    "accounts:language": 405,
}
# Portal API operations: status for kim with the other customer's ids, and the body sent.
PORTAL_API: dict[tuple[str, str], tuple[int, dict[str, Any] | None]] = {
    ("get", "/api/v1/portal/promises"): (200, None),
    ("get", "/api/v1/portal/assets"): (200, None),
    ("get", "/api/v1/portal/tickets"): (200, None),
    ("get", "/api/v1/portal/tickets/{ticket_id}"): (404, None),
    ("post", "/api/v1/portal/tickets"): (404, {"title": "x", "asset": "<asset>"}),
    ("post", "/api/v1/portal/tickets/{ticket_id}/comments"): (404, {"body": "x"}),
    ("post", "/api/v1/portal/tickets/{ticket_id}/feedback"): (404, {"score": 5}),
    ("post", "/api/v1/portal/offers/{offer_id}/request"): (404, None),
}
OPEN_API: dict[tuple[str, str], int] = {
    ("get", "/api/v1/me"): 200,
    ("delete", "/api/v1/auth/token"): 204,  # logging out of the API
}


def walk(patterns: list[Any], prefix: str = "", ns: tuple[str, ...] = ()) -> Iterator[Any]:
    """(route, namespaces, pattern) of every URL pattern below ``patterns``."""
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = (*ns, p.namespace) if p.namespace else ns
            yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), ns, p


class Foreign:
    """Real ids of the other customer's objects, by the name of the parameter."""

    def __init__(self, ticket: Ticket, customer: Customer, asset: Asset) -> None:
        self.ids = {"customer": customer.pk, "asset": asset.pk, "site": asset.site_id}
        self.ticket = ticket.pk

    def value(self, name: str, kind: str, where: str) -> str:
        if kind == "int":
            key = next((k for k in self.ids if k in name), None)
            return str(self.ids[key] if key else self.ticket)
        if kind in ("str", "slug", "path"):
            return "x"
        if kind == "uuid":
            return str(uuid.uuid4())
        pytest.fail(f"{where}: cannot fill the parameter <{kind}:{name}>; classify it here.")

    def route(self, route: str) -> str:
        def conv(m: re.Match[str]) -> str:
            return self.value(m["name"], m["kind"] or "str", route)

        route = re.sub(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>", conv, route)
        # regular-expression patterns (the admin's): a value that matches each group
        for m in re.finditer(r"\(\?P<(\w+)>([^()]*)\)", route):
            value = next(
                (v for v in (str(self.ticket), "auth", "x") if re.fullmatch(m[2], v)), None
            )
            if value is None:
                pytest.fail(f"{route}: cannot fill the group {m[1]}; classify it here.")
            route = route.replace(m[0], value)
        return "/" + route.lstrip("^").rstrip("$").replace("\\", "")


# What the walk's own logins write: tokens, sessions and the login log.
LOGIN_RECORDS = {"accounts.ApiToken", "sessions.Session", "axes.AccessLog"}


def _rows() -> dict[str, int]:
    """Rows per table, but the login records the walk writes itself."""
    models = [m for m in apps.get_models() if m._meta.managed]
    return {
        m._meta.label: m._default_manager.count()
        for m in models
        if m._meta.label not in LOGIN_RECORDS
    }


@pytest.fixture
def foreign(foreign_ticket: Ticket, other_customer: Customer, other_asset: Asset) -> Foreign:
    return Foreign(foreign_ticket, other_customer, other_asset)


def test_every_page_outside_the_portal_refuses_a_customer_contact(
    kim: User, foreign: Foreign, resolved_ticket: Ticket, session_of: Callable[[User], Client]
) -> None:
    """Every URL pattern as kim (session): the portal's pages answer, every other 403."""
    client = session_of(kim)
    before = _rows()
    wrong: dict[str, tuple[Any, int]] = {}
    seen_portal: set[str] = set()
    for route, ns, pattern in walk(get_resolver().url_patterns):
        url = foreign.route(route)
        name = ":".join([*ns, pattern.name or ""])
        if "api" in ns:
            continue  # the API: walked over its OpenAPI operations below
        if "portal" in ns:
            if pattern.name not in PORTAL_PAGES:
                pytest.fail(f"{url} ({name}) is a portal page this test does not know.")
            seen_portal.add(pattern.name)
            on_get, on_post = PORTAL_PAGES[pattern.name]
            if (got := client.get(url).status_code) != on_get:
                wrong[url] = (on_get, got)
            if on_post is not None and (got := client.post(url, {}).status_code) != on_post:
                wrong[f"POST {url}"] = (on_post, got)
            continue
        if name in OPEN_OUTSIDE:
            if (got := client.get(url).status_code) != OPEN_OUTSIDE[name]:
                wrong[url] = (OPEN_OUTSIDE[name], got)
            continue
        for method in ("get", "post"):
            got = getattr(client, method)(url).status_code
            if got != 403:
                wrong[f"{method.upper()} {url}"] = (403, got)
    assert wrong == {}, "url -> (expected, got)"
    assert seen_portal == set(PORTAL_PAGES), "portal pages the test knows but did not find"
    assert _rows() == before, "a refused request wrote something"


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, op in methods.items():
            yield method, path, op


@pytest.mark.parametrize("auth", ["bearer", "session"])
def test_every_api_operation_outside_the_portal_refuses_a_customer_contact(
    kim: User,
    foreign: Foreign,
    resolved_ticket: Ticket,
    bearer_of: Callable[[User], Client],
    session_of: Callable[[User], Client],
    auth: str,
) -> None:
    """Every OpenAPI operation as kim (bearer token or session): the portal's answer,
    every other 403."""
    client_of = bearer_of if auth == "bearer" else session_of
    before = _rows()
    wrong: dict[str, tuple[int, int]] = {}
    seen: set[tuple[str, str]] = set()
    for method, path, op in _operations():
        url = foreign.route(re.sub(r"{(\w+)}", r"<int:\1>", path).lstrip("/"))
        key = (method, path)
        body: dict[str, Any] | None = {}
        if not op.get("security"):
            continue  # public operations (health, logging in) need no authentication
        if key in OPEN_API:
            expected = OPEN_API[key]
        elif path.startswith("/api/v1/portal/"):
            if key not in PORTAL_API:
                pytest.fail(
                    f"{method.upper()} {path} is a portal operation this test does not know."
                )
            expected, body = PORTAL_API[key]
            if body and body.get("asset") == "<asset>":
                body = {**body, "asset": foreign.ids["asset"]}
        else:
            expected = 403
        seen.add(key)
        send = getattr(client_of(kim), method)
        response = send(url, body, content_type="application/json") if body else send(url)
        if response.status_code != expected:
            wrong[f"{method.upper()} {url}"] = (expected, response.status_code)
        elif expected == 403:
            assert "customer portal" in response.json()["detail"]
    assert wrong == {}, "operation -> (expected, got)"
    assert set(PORTAL_API) | set(OPEN_API) <= seen
    assert _rows() == before, "a refused request wrote something"


def test_a_staff_member_does_not_use_the_portal(
    bob: User, kim: User, session_of: Callable[[User], Client]
) -> None:
    """The portal's pages and API are for customer contacts: staff get 403."""
    client = session_of(bob)
    assert client.get("/portal/").status_code == 403
    assert client.get("/portal/tickets/").status_code == 403
    assert client.get("/api/v1/portal/tickets").status_code == 403
    assert client.get("/").status_code == 200


def test_a_customer_contact_is_sent_from_the_start_page_to_the_portal(
    kim: User, session_of: Callable[[User], Client]
) -> None:
    response = session_of(kim).get("/")
    assert response.status_code == 302 and response["Location"] == "/portal/"


def test_a_customer_user_without_a_customer_sees_no_portal(
    session_of: Callable[[User], Client],
) -> None:
    from servicegate.accounts import roles
    from servicegate.conftest import make_user

    lost = make_user("lost", roles.CUSTOMER)
    response = session_of(lost).get("/portal/")
    assert response.status_code == 403
    assert session_of(lost).get("/operations/").status_code == 403


def test_a_refused_page_keeps_the_portals_look(
    kim: User, session_of: Callable[[User], Client]
) -> None:
    page = session_of(kim).get("/operations/")
    text = page.content.decode()
    assert page.status_code == 403
    assert "Customer contacts use the customer portal only" in text
    assert "My promises" in text and "mainnav" not in text
