"""Each schedule operation is reachable: a fixed path is not taken for a day."""

from __future__ import annotations

from servicegate.conftest import RoleMatrix


def test_urgent_insertion_is_reached_by_post_not_refused_as_a_day(role_matrix: RoleMatrix) -> None:
    # An unknown ticket: the urgent operation itself answers (404 to planners, 403 to the
    # rest); a day pattern matched first would answer 405 to everyone.
    role_matrix(
        "/api/v1/schedule/urgent",
        {"*": 403, "bob": 404, "dana": 404, "ada": 404},
        method="post",
        data={"ticket": 999999},
        api=True,
    )
