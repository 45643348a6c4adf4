"""Demo step: one login per role, all with the demo password."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from servicegate.accounts import roles
from servicegate.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext

DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    # username, role, first name, last name
    ("sales", roles.SALES, "Sabine", "Vogt"),
    ("manager", roles.SERVICE_MANAGER, "Markus", "Brandt"),
    ("quality", roles.QUALITY_MANAGER, "Katrin", "Lenz"),
    ("dispatcher", roles.DISPATCHER, "Deniz", "Aydin"),
    ("technician", roles.TECHNICIAN, "Tobias", "Huber"),
    ("viewer", roles.VIEWER, "Vera", "Kühn"),
    ("admin", roles.ADMIN, "Anna", "Schulte"),
)


def build(ctx: DemoContext) -> None:
    """Create the demo users, each in the group of its role."""
    users: dict[str, User] = {}
    groups = {g.name: g for g in Group.objects.all()}
    for username, role, first, last in DEMO_USERS:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            is_staff=role == roles.ADMIN,
            is_superuser=role == roles.ADMIN,
        )
        user.groups.add(groups[role])
        users[username] = user
    ctx.objects["users"] = users
    ctx.report(f"demo: {len(users)} users")
