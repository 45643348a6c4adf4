"""`servicegate demo-data` refuses a database with data; the demo logins are listed."""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from servicegate.accounts import demo as demo_accounts
from servicegate.core.demo import DemoContext, database_holds_data, print_logins

pytestmark = pytest.mark.django_db


def test_a_database_with_users_is_not_overwritten(victor: User) -> None:
    assert database_holds_data()
    with pytest.raises(CommandError, match="already holds users; nothing was changed"):
        call_command("demo_data")
    assert list(User.objects.values_list("username", flat=True)) == ["victor"]


def test_the_logins_are_the_demo_users_with_their_roles(victor: User) -> None:
    ctx = DemoContext(seed=1, size="small", rng=np.random.default_rng(1), report=print)
    demo_accounts.build(ctx)
    lines: list[str] = []
    print_logins(lines.append)
    assert lines[0] == "Demo logins (password: demo):"
    assert [line.split() for line in lines[1:]] == [
        [username, role] for username, role, _first, _last in demo_accounts.DEMO_USERS
    ]
