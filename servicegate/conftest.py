"""Shared test fixtures: personas for every role, the real data folder, Chromium."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from servicegate.accounts import roles
from servicegate.accounts.services import sync_roles, token_create
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.operations.models import Customer

PASSWORD = "correct horse battery staple"

# Property tests check results, not speed: on two shared cores an example can take longer
# than Hypothesis' default 200 ms deadline, which would fail a correct test at random.
hypothesis_settings.register_profile("servicegate", deadline=None)
hypothesis_settings.load_profile("servicegate")

# persona -> role: alice sells, bob manages service, quinn runs quality, ...
PERSONAS: dict[str, str] = {
    "alice": roles.SALES,
    "bob": roles.SERVICE_MANAGER,
    "quinn": roles.QUALITY_MANAGER,
    "dana": roles.DISPATCHER,
    "carol": roles.TECHNICIAN,
    "victor": roles.VIEWER,
    "ada": roles.ADMIN,
}


def make_user(username: str, role: str | None) -> User:
    """Create a user holding ``role`` (None: no role at all)."""
    if not Group.objects.filter(name=roles.VIEWER).exists():
        sync_roles()
    user = User.objects.create_user(username=username, password=PASSWORD)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in English: a request in German must not leak into the next test."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Every test starts with an empty cache: cached figures must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def persona(db: None) -> Callable[[str], User]:
    """``persona("alice")`` returns the user of that persona, created on first use."""

    def get(name: str) -> User:
        existing = User.objects.filter(username=name).first()
        return existing or make_user(name, PERSONAS.get(name))

    return get


@pytest.fixture
def alice(persona: Callable[[str], User]) -> User:
    return persona("alice")


@pytest.fixture
def bob(persona: Callable[[str], User]) -> User:
    return persona("bob")


@pytest.fixture
def quinn(persona: Callable[[str], User]) -> User:
    return persona("quinn")


@pytest.fixture
def dana(persona: Callable[[str], User]) -> User:
    return persona("dana")


@pytest.fixture
def carol(persona: Callable[[str], User]) -> User:
    return persona("carol")


@pytest.fixture
def victor(persona: Callable[[str], User]) -> User:
    return persona("victor")


RoleMatrix = Callable[..., None]


@pytest.fixture
def role_matrix(persona: Callable[[str], User]) -> RoleMatrix:
    """Check one permission boundary in a few lines (in the manner of NetBox's ViewTestCases).

    ``role_matrix(url, {"alice": 200, "bob": 200, "*": 403})`` requests ``url`` as each
    persona named and as every other persona for ``"*"``, and asserts the status of each.
    ``method="post"`` and ``data`` send a form (or JSON with ``api=True``, which also
    authenticates with a bearer token instead of the session). Personas are tried in
    the order given, the ``"*"`` ones first, so a write that succeeds comes last.
    Every mismatch is reported at once: ``{persona: (expected, got)}``.
    """

    def check(
        url: str,
        expected: Mapping[str, int],
        *,
        method: str = "get",
        data: Mapping[str, Any] | None = None,
        api: bool = False,
    ) -> None:
        others = [name for name in PERSONAS if name not in expected]
        order = [(name, expected["*"]) for name in others if "*" in expected]
        order += [(name, status) for name, status in expected.items() if name != "*"]
        wrong: dict[str, tuple[int, int]] = {}
        for name, status in order:
            user = persona(name)
            if api:
                client = Client(headers={"Authorization": f"Bearer {token_create(user=user)[1]}"})
            else:
                client = Client()
                client.force_login(user)
            send = getattr(client, method)
            if api and data is not None:
                response = send(url, data, content_type="application/json")
            else:
                response = send(url, data) if data is not None else send(url)
            if response.status_code != status:
                wrong[name] = (status, response.status_code)
        assert wrong == {}, f"{method.upper()} {url}: persona -> (expected, got)"

    return check


@pytest.fixture
def segment(db: None) -> Segment:
    """The Automotive customer segment."""
    return Segment.objects.create(name="Automotive")


@pytest.fixture
def customer(segment: Segment) -> Customer:
    """A customer in the Automotive segment."""
    return Customer.objects.create(number="K-1", name="Weber Automotive GmbH", segment=segment)


@pytest.fixture
def product(segment: Segment, bob: User) -> ServiceProduct:
    """A remote hotline product owned by bob (the nearest conftest's bob)."""
    return ServiceProduct.objects.create(
        name="Remote Hotline Premium",
        segment=segment,
        owner=bob,
        kind="reactive",
        scope="Hotline",
        price_model="subscription",
        price_amount=Decimal("990"),
        channel="remote",
        regions=["Bayern"],
        value_proposition="Answer within 4 business hours.",
    )


def shared_data_dir() -> Path | None:
    """The real public data sets (../shared/data beside the checkout), if present."""
    override = os.environ.get("SERVICEGATE_SHARED_DATA")
    path = Path(override) if override else Path(__file__).resolve().parents[2] / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture
def shared_data() -> Path:
    """Path of ../shared/data; skips the test (with the reason) when it is absent."""
    path = shared_data_dir()
    if path is None:
        pytest.skip("the real data sets in ../shared/data are not present in this checkout")
    return path


CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (headless, no network of its own)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
        pytest.skip(f"{CHROMIUM} is missing: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-gpu",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot_dir() -> Path:
    """Where browser tests save their screenshots (kept as test artifacts)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
