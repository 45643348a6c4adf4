"""Shared test fixtures: personas for every role, the real data folder, Chromium."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import translation

from servicegate.accounts import roles
from servicegate.accounts.services import sync_roles
from servicegate.catalog.models import Segment, ServiceProduct
from servicegate.operations.models import Customer

PASSWORD = "correct horse battery staple"

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
